import Foundation

/// The approval prompt of an apply without `--auto-approve`.
enum ApplyApproval {
    /// Asks for `yes` on a terminal.
    /// - Returns: `nil` when approved, else the exit code to end with.
    static func ask(console: Console, printer: Printer) -> Int32? {
        guard isatty(STDIN_FILENO) == 1 else {
            printer.error("refusing to apply without --auto-approve: standard input is not a terminal to answer `yes`")
            return ExitCode.failure
        }
        console.out("\nDo you want to perform these actions? Only 'yes' will be accepted: ")
        guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            console.out("Apply cancelled.\n")
            return ExitCode.failure
        }
        return nil
    }
}
