import Foundation
import MatchModel
import MatchStore
import MentorMatch

extension ReviewRoom {
    /// The program: its cycles, each cycle's proposals (who, when, status, headline numbers),
    /// the finalised cohorts, and the actions on the current cycle.
    func programPage(notice: String?) throws -> String {
        let store = try review.open()
        let cycle = ProgramFile.lenient(path: programPath)?.cohort ?? ""
        let proposals = try review.guarded { try store.proposals() }
        let finalised = try review.guarded { try store.finalisations() }
        var body = "<h1>\(HTML.escape(programName))</h1>"
        if let notice { body += "<p class=\"notice\">\(HTML.escape(notice))</p>" }
        let done = finalised.first { $0.cycle == cycle }
        body += "<p>Current cycle: <strong>\(HTML.escape(cycle.isEmpty ? "(unnamed)" : cycle))</strong>"
        body += done.map { " — finalised as cohort ‘\(HTML.escape($0.cohort))’ on \(HTML.escape($0.at)) by \(HTML.escape($0.by))" } ?? ""
        body += "</p>"
        if done == nil {
            body += HTML.form(
                action: "/propose", token: token, attributes: "class=\"act\"",
                HTML.reviewerField(Review.currentUser)
                    + "<button type=\"submit\">Propose with the decisions applied</button>")
            body += "<p><a href=\"/finalise\">Finalise this cycle…</a></p>"
        }
        let byCycle = Dictionary(grouping: proposals, by: \.cohort)
        let cycles = byCycle.keys.sorted { a, b in (a == cycle ? 0 : 1, b) < (b == cycle ? 0 : 1, a) }
        if cycles.isEmpty { body += "<p>No proposals yet: propose above, or run <code>mentormatch propose</code>.</p>" }
        for c in cycles {
            body += "<h2>Cycle \(HTML.escape(c.isEmpty ? "(unnamed)" : c))</h2>"
            body += "<table><thead><tr><th class=\"num\">proposal</th><th>made by</th><th>when</th><th>who</th><th>status</th>"
            body += "<th class=\"num\">matched</th><th class=\"num\">points</th><th class=\"num\">weakest</th><th>note</th></tr></thead><tbody>"
            for p in byCycle[c]!.sorted(by: { $0.id > $1.id }) {
                body += "<tr><td class=\"num\"><a href=\"/proposals/\(p.id)\">\(p.id)</a></td><td>\(p.kind.rawValue)</td>"
                body += "<td>\(HTML.escape(p.createdAt))</td><td>\(HTML.escape(p.createdBy))</td><td>\(HTML.escape(p.status))</td>"
                body += "<td class=\"num\">\(Numbers.grouped(p.matchedMentees))</td><td class=\"num\">\(Numbers.grouped(p.totalPoints))</td>"
                body += "<td class=\"num\">\(p.minPoints)</td><td>\(HTML.escape(p.note))</td></tr>"
            }
            body += "</tbody></table>"
        }
        if !finalised.isEmpty {
            body +=
                "<h2>Finalised cohorts</h2><table><thead><tr><th>cohort</th><th>cycle</th><th>when</th><th>who</th><th class=\"num\">proposal</th></tr></thead><tbody>"
            for f in finalised {
                body +=
                    "<tr><td>\(HTML.escape(f.cohort))</td><td>\(HTML.escape(f.cycle))</td><td>\(HTML.escape(f.at))</td><td>\(HTML.escape(f.by))</td>"
                body += "<td class=\"num\">\(f.proposalID.map { "<a href=\"/proposals/\($0)\">\($0)</a>" } ?? "")</td></tr>"
            }
            body += "</tbody></table>"
        }
        return HTML.page(title: "Program", program: programName, body: body)
    }

    /// The audit trail: proposals, decisions, finalisations and erasures, newest first.
    func logPage() throws -> String {
        let store = try review.open()
        let entries = try review.guarded { try store.auditTrail() }
        var body = "<h1>Audit trail</h1><table><thead><tr><th>when</th><th>who</th><th>cycle</th><th>what</th><th>why</th></tr></thead><tbody>"
        for e in entries.reversed() {
            body += "<tr><td>\(HTML.escape(e.at))</td><td>\(HTML.escape(e.by))</td><td>\(HTML.escape(e.cycle))</td>"
            body += "<td>\(HTML.escape(e.what))</td><td>\(HTML.escape(e.reason))</td></tr>"
        }
        body += "</tbody></table>"
        return HTML.page(title: "Audit trail", program: programName, body: body)
    }
}
