import Foundation
import VPNFormCLI

// A full disk or a file-size limit must be an error the code handles (EFBIG), not SIGXFSZ
// killing the process in the middle of a write.
signal(SIGXFSZ, SIG_IGN)
let arguments = Array(CommandLine.arguments.dropFirst())
// Commands that need no concurrency run on this thread and exit: no async main, so no dispatch
// main queue (whose sigsuspend valgrind cannot run). `apply` and `emulator` run as a task.
if let code = VPNFormCLI.runSynchronously(arguments) { exit(code) }
Task { exit(await VPNFormCLI.run(arguments)) }
dispatchMain()
