import VPNForm

enum ForceUnlockCommand {
    static let spec = CommandSpec(
        name: "force-unlock",
        summary: "Remove the state lock left by a crashed or killed run.",
        usage: "vpnform force-unlock [-f FILE] [--state PATH]",
        options: [CommandSupport.fileOption, CommandSupport.stateOption],
        details: "Only when no other vpnform run is using the state: the lock is what keeps two applies apart."
    ) { args, console in
        let statePath = CommandSupport.statePath(args)
        let lockPath = StateLock.lockPath(forState: statePath)
        let (removed, holder) = StateLock.forceRemove(statePath: statePath)
        guard removed else {
            console.out("\(lockPath): no lock to remove\n")
            return ExitCode.success
        }
        let by = holder.map { " held by \($0.summary)\($0.isStale ? " (no longer running)" : "")" } ?? ""
        console.out("Removed the lock \(lockPath)\(by).\n")
        return ExitCode.success
    }
}
