import Foundation
import MatchModel
import MatchStore
import MentorMatch

extension ReviewRoom {
    /// The reviewer named in a form (the OS user when blank).
    private func reviewer(_ form: FormData) -> String { form["by"] ?? Review.currentUser }

    /// The reason a form gives; every decision needs one, as on the command line.
    private func reason(_ form: FormData) throws -> String {
        guard let r = form["reason"] else { throw PageError(status: .badRequest, message: "say why (the reason is recorded in the audit trail)") }
        return r
    }

    /// Accept, reject, lock or unlock the selected pairs: ``Review/decide(_:pairs:by:reason:standing:)``,
    /// with the CLI's checks and messages. Returns to the page the form came from.
    func decide(_ form: FormData) throws -> String {
        guard let action = form["action"].flatMap(DecisionAction.init(rawValue:)) else {
            throw PageError(status: .badRequest, message: "the decision must be accept, reject, lock or unlock")
        }
        var texts = form.all("pair")
        // A negotiated pair named on a mentee's page rather than ticked in a proposal.
        if let mentor = form["mentor"], let mentee = form["mentee"] { texts.append("\(mentor):\(mentee)") }
        guard !texts.isEmpty else { throw PageError(status: .badRequest, message: "select at least one pair") }
        let pairs = try texts.map { t in
            guard let pair = PairKey(parsing: t) else {
                throw PageError(status: .badRequest, message: "'\(t)' is not a pair; write MENTOR:MENTEE, e.g. M12:E40")
            }
            return pair
        }
        let r = try review.decide(action, pairs: pairs, by: reviewer(form), reason: try reason(form))
        let done = "\(action.pastTense) \(pairs.map(\.description).joined(separator: ", ")) in cycle '\(r.cycle)'; the next propose applies it"
        return Self.withNotice(Self.localPath(form["back"]) ?? "/", done)
    }

    /// Starts a propose with the cycle's decisions applied; its page follows it.
    func propose(_ form: FormData) throws -> String {
        let review = self.review, by = reviewer(form)
        let id = jobs.start { progress in
            var propose = Propose()
            propose.progress = progress
            let r = try review.propose(propose, by: by)
            let p = r.result.proposal
            let summary = "\(p.status.rawValue): \(p.pairs.count) pairs, \(p.objective.totalPoints) points"
            return BackgroundJobs.Outcome(summary: summary, link: r.applied.proposalID.map { ("/proposals/\($0)", "Open proposal \($0)") })
        }
        return "/jobs/\(id)"
    }

    /// Re-matches one mentee of the cycle's newest cohort (``Review/rematch(_:menteeID:by:reason:force:)``).
    func rematch(_ form: FormData) throws -> String {
        guard let mentee = form["mentee"] else { throw PageError(status: .badRequest, message: "name the mentee to re-match") }
        let r = try review.rematch(Propose(), menteeID: mentee, by: reviewer(form), reason: try reason(form))
        let dissolved = r.dissolved.map(\.description).joined(separator: ", ")
        let done = "re-matched \(mentee)" + (dissolved.isEmpty ? "" : " (dissolved \(dissolved))")
        return Self.withNotice(r.applied.proposalID.map { "/proposals/\($0)" } ?? "/", done)
    }

    /// Finalises the cycle once the page's confirmation was ticked.
    func finalise(_ form: FormData) throws -> String {
        guard form["confirm"] == "yes" else { throw PageError(status: .badRequest, message: "tick the confirmation to finalise the cycle") }
        let proposal = form["proposal"].flatMap { Int64($0) }
        let r = try review.finalize(name: form["name"], proposalID: proposal, by: reviewer(form))
        return Self.withNotice(
            "/", "finalised cycle '\(r.cycle)' as cohort '\(r.cohort)': \(r.pairs) pairs of proposal \(r.proposal) now count as history")
    }

    /// What finalising would do, and the form that does it.
    func finalisePage() throws -> String {
        let store = try review.open()
        let cycle = ProgramFile.lenient(path: programPath)?.cohort ?? ""
        guard let p = try review.guarded({ try store.newestProposal(cycle: cycle, kind: .propose, withCohort: true) }) else {
            throw PageError(status: .notFound, message: "cycle '\(cycle)' has no proposal made by propose; propose first")
        }
        var body = "<h1>Finalise cycle \(HTML.escape(cycle.isEmpty ? "(unnamed)" : cycle))</h1>"
        body +=
            "<p>Proposal <a href=\"/proposals/\(p.id)\">\(p.id)</a> (\(HTML.escape(p.status)), made by \(HTML.escape(p.createdBy)) on \(HTML.escape(p.createdAt))) "
        body +=
            "becomes the cycle's cohort: its \(Numbers.grouped(p.pairs.count)) pairs count as history from then on, so no later cycle proposes them again "
        body += "(with <code>no_repeat_pairs</code>). The cycle takes no more proposals or decisions.</p>"
        body += HTML.form(
            action: "/finalise", token: token, attributes: "class=\"act\"",
            "<input type=\"hidden\" name=\"proposal\" value=\"\(p.id)\"><label>cohort name <input name=\"name\" placeholder=\"\(HTML.escape(cycle))\"></label>"
                + HTML.reviewerField(Review.currentUser)
                + "<label><span><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required> these \(p.pairs.count) pairs become history</span></label>"
                + "<button type=\"submit\">Finalise</button>")
        return HTML.page(title: "Finalise", program: programName, body: body)
    }

    /// A path on this server (never another site), or nil.
    static func localPath(_ s: String?) -> String? {
        guard let s, s.hasPrefix("/"), !s.hasPrefix("//"), !s.contains("\\") else { return nil }
        return s
    }

    static func withNotice(_ path: String, _ notice: String) -> String {
        path + (path.contains("?") ? "&" : "?") + "done=" + HTML.query(notice)
    }
}
