import Foundation
import VPNFormCLI

exit(await VPNFormCLI.run(Array(CommandLine.arguments.dropFirst())))
