import Foundation
import MatchModel
import MentorMatch

/// Proposes started from the browser, each on a thread of its own (a solve may take minutes; the
/// server keeps answering), recorded in the store as the CLI's are. Their pages follow them.
final class ProposeJobs: @unchecked Sendable {
    enum State: Sendable {
        case running(latest: String)
        case finished(proposalID: Int64?, summary: String)
        case failed(String)
    }
    private let lock = NSLock()
    private var states: [Int: (started: Date, state: State)] = [:]
    private var next = 1

    func start(review: Review, by: String) -> Int {
        let id: Int = lock.withLock {
            defer { next += 1 }
            states[next] = (Date(), .running(latest: "starting"))
            return next
        }
        let thread = Thread { [self] in
            var propose = Propose()
            propose.progress = { [self] line in update(id, .running(latest: line)) }
            do {
                let r = try review.propose(propose, by: by)
                let p = r.result.proposal
                update(
                    id,
                    .finished(
                        proposalID: r.applied.proposalID, summary: "\(p.status.rawValue): \(p.pairs.count) pairs, \(p.objective.totalPoints) points"))
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
        var body = "<h1>Propose</h1>"
        switch job.state {
        case .running(let latest):
            body = "<meta http-equiv=\"refresh\" content=\"1\">" + body
            body += "<p class=\"notice\" id=\"job-running\">solving… \(seconds) s — \(HTML.escape(latest))</p>"
        case .finished(let proposalID, let summary):
            body += "<p class=\"notice\" id=\"job-finished\">\(HTML.escape(summary)) in \(seconds) s. "
            body += proposalID.map { "<a href=\"/proposals/\($0)\">Open proposal \($0)</a>" } ?? "<a href=\"/\">Back to the program</a>"
            body += "</p>"
        case .failed(let message):
            body += "<pre class=\"error\">\(HTML.escape(message))</pre><p><a href=\"/\">Back to the program</a></p>"
        }
        return HTML.page(title: "Propose", program: programName, body: body)
    }
}
