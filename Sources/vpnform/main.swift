import Foundation
import VPNFormCLI

// A full disk or a file-size limit must be an error the code handles (EFBIG), not SIGXFSZ
// killing the process in the middle of a write.
signal(SIGXFSZ, SIG_IGN)
exit(await VPNFormCLI.run(Array(CommandLine.arguments.dropFirst())))
