/// What `vpnform version` reports about the build, filled in by the BuildInfoPlugin.
public enum BuildInfo {
    /// The git commit the binary was built from (12 hex digits, `-modified` when the sources
    /// differed from it), or `unknown` outside a git checkout.
    public static let commit = GeneratedBuildInfo.commit
    /// The day of the build, UTC (`2026-11-30`).
    public static let date = GeneratedBuildInfo.date
}
