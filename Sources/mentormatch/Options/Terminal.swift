import ArgumentParser
import Foundation
import MatchModel

/// Where messages for people go: stderr, so stdout stays clean for data.
enum Terminal {
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Prints diagnostics, at most `limit` warnings.
    static func report(_ diagnostics: [Diagnostic], warningLimit: Int = 20) {
        let errors = diagnostics.filter { $0.severity == .error }
        let warnings = diagnostics.filter { $0.severity == .warning }
        for d in errors { error(d.description) }
        for d in warnings.prefix(warningLimit) { error(d.description) }
        if warnings.count > warningLimit {
            error("… and \(warnings.count - warningLimit) more warnings (`mentormatch check` lists them all)")
        }
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// Runs a command body, printing input errors as located diagnostics and exiting with 1.
func reportingInputErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as InputError {
        Terminal.report(e.diagnostics)
        throw ExitCode(1)
    }
}
