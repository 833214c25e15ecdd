import Foundation
import MatchModel
import MentorMatch

/// Solves started from the browser (propose, compare), each on a thread of its own (a solve may
/// take minutes; the server keeps answering); a propose is recorded in the store as the CLI's is.
/// Their pages follow them.
final class BackgroundJobs: @unchecked Sendable {
    /// What a finished job shows: a sentence, where to go next, and any markup of its own (a comparison).
    struct Outcome: Sendable {
        var summary: String
        var link: (href: String, text: String)?
        var html = ""
    }
    enum State: Sendable {
        case running(latest: String)
        case finished(Outcome)
        case failed(String)
    }
    private let lock = NSLock()
    private var states: [Int: (started: Date, state: State)] = [:]
    private var next = 1

    /// Runs `work` on a thread of its own; it reports progress lines through the closure it is given.
    func start(_ work: @escaping @Sendable (_ progress: @escaping @Sendable (String) -> Void) throws -> Outcome) -> Int {
        let id: Int = lock.withLock {
            defer { next += 1 }
            states[next] = (Date(), .running(latest: "starting"))
            return next
        }
        let thread = Thread { [self] in
            do {
                update(id, .finished(try work { [self] line in update(id, .running(latest: line)) }))
            } catch let e as InputError {
                update(id, .failed(e.diagnostics.map(\.description).joined(separator: "\n")))
            } catch {
                update(id, .failed("\(error)"))
            }
        }
        thread.stackSize = 16 << 20
        thread.start()
        return id
    }

    func state(_ id: Int) -> (started: Date, state: State)? { lock.withLock { states[id] } }

    private func update(_ id: Int, _ state: State) { lock.withLock { states[id]?.state = state } }
}

extension ReviewRoom {
    /// A propose started here: its latest progress line while it runs (the page reloads itself
    /// each second), then a link to the proposal it made — or what kept it from making one.
    func jobPage(_ id: Int) throws -> String {
        guard let job = jobs.state(id) else { throw PageError(status: .notFound, message: "there is no propose \(id) on this server") }
        let seconds = Int(Date().timeIntervalSince(job.started))
        var body = "<h1>Solving</h1>"
        switch job.state {
        case .running(let latest):
            body = "<meta http-equiv=\"refresh\" content=\"1\">" + body
            body += "<p class=\"notice\" id=\"job-running\">solving… \(seconds) s — \(HTML.escape(latest))</p>"
        case .finished(let outcome):
            body += "<p class=\"notice\" id=\"job-finished\">\(HTML.escape(outcome.summary)) in \(seconds) s. "
            body += outcome.link.map { "<a href=\"\(HTML.escape($0.href))\">\(HTML.escape($0.text))</a>" } ?? "<a href=\"/\">Back to the program</a>"
            body += "</p>" + outcome.html
        case .failed(let message):
            body += "<pre class=\"error\">\(HTML.escape(message))</pre><p><a href=\"/\">Back to the program</a></p>"
        }
        return HTML.page(title: "Running", program: programName, body: body)
    }
}
