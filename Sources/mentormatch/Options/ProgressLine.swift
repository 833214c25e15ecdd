import Foundation

/// Progress of a long solve on a terminal: one line, rewritten in place, with the
/// time since the start and the latest step, cut to the terminal's width; with
/// `--verbose`, every step on a line of its own. Nothing when standard error is
/// not a terminal (a pipe or a log file gets results and warnings only).
final class ProgressLine: @unchecked Sendable {
    private let start = DispatchTime.now()
    private let lock = NSLock()
    private let verbose: Bool
    private var shown = false

    init(verbose: Bool) { self.verbose = verbose }

    /// The progress line for a command, or nil when progress is not shown.
    static func make(quiet: Bool, verbose: Bool) -> ProgressLine? {
        guard !quiet && Terminal.isInteractive else { return nil }
        return ProgressLine(verbose: verbose)
    }

    /// The handler a use case calls with each step.
    var report: @Sendable (String) -> Void { { [self] in update($0) } }

    func update(_ step: String) {
        lock.lock()
        defer { lock.unlock() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let text = String(format: "[%6.1f s] ", seconds) + step
        if verbose {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        } else {
            let width = max(20, Terminal.width - 1)
            let cut = text.count > width ? String(text.prefix(width - 1)) + "…" : text
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + cut).utf8))
            shown = true
        }
    }

    /// Clears the line before results are printed.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}

extension Terminal {
    /// Columns of the terminal on standard error (80 when it cannot be told).
    static var width: Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}
