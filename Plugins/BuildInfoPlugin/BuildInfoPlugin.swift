import Foundation
import PackagePlugin

/// Writes the git commit and the build date into `VPNBuildInfo` before each build, for
/// `vpnform version`. The file is rewritten only when one of them changes (a new commit, a new
/// day), so an ordinary rebuild compiles nothing more. Outside a git checkout the commit is
/// `unknown`.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        let script = """
            set -u
            mkdir -p "$2"
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && ! git -C "$1" diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then
              commit="$commit-modified"
            fi
            date=$(date -u +%Y-%m-%d)
            text="enum GeneratedBuildInfo {
                static let commit = \\"$commit\\"
                static let date = \\"$date\\"
            }"
            if [ "$(cat "$2/GeneratedBuildInfo.swift" 2>/dev/null)" != "$text" ]; then
              printf '%s\\n' "$text" > "$2/GeneratedBuildInfo.swift"
            fi
            """
        return [
            .prebuildCommand(
                displayName: "vpnform build info (git commit, build date)",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
                outputFilesDirectory: output)
        ]
    }
}
