import Foundation
import MatchModel
import MatchSolver
import MentorMatch

extension ReviewRoom {
    /// A mentee in a stored proposal: what `explain` says — each mentor's factor table, or why
    /// nobody and the smallest changes that would help; the next-best mentors and why not; the
    /// ineligible mentors by rule — and the actions on them (re-match, fix a negotiated pair).
    func menteePage(_ id: Int64, mentee: String) throws -> String {
        let r = try Explain().run(programPath: programPath, menteeID: mentee, mentorID: nil, stored: (review, id))
        let name = r.who
        var body = "<p><a href=\"/proposals/\(id)\">← proposal \(id)</a></p><h1>\(HTML.escape(name(mentee)))</h1>"
        if r.mentee.chosen.isEmpty {
            body += "<p class=\"notice\">Not matched: \(HTML.escape(r.mentee.unmatchedReasons.joined(separator: "; ")))</p>"
            if !r.mentee.relaxations.isEmpty {
                body += "<h2>Smallest changes that would admit mentors</h2><ul>"
                body += r.mentee.relaxations.map { "<li>\(HTML.escape($0.change)) would admit \($0.admits) mentor\($0.admits == 1 ? "" : "s")</li>" }
                    .joined()
                body += "</ul>"
            }
        }
        for c in r.mentee.chosen {
            body += "<h2>Matched with \(HTML.escape(name(c.mentorID))): \(c.points) points</h2>"
            body += factorTable(c.factors, points: c.points, policy: r.policy)
        }
        if let stability = r.stability { body += "<p>\(HTML.escape(stability))</p>" }
        if !r.mentee.alternatives.isEmpty {
            body +=
                "<h2>Next-best eligible mentors, and why not</h2><table><thead><tr><th>mentor</th><th class=\"num\">points</th><th>why not</th></tr></thead><tbody>"
            for a in r.mentee.alternatives {
                body += "<tr><td>\(HTML.escape(name(a.mentorID)))</td><td class=\"num\">\(a.points)</td><td>\(HTML.escape(a.reason))</td></tr>"
            }
            body += "</tbody></table>"
        }
        if !r.mentee.ineligible.isEmpty {
            body += "<h2>Ineligible mentors, by the rule that excludes them</h2><ul>"
            for (rule, ids) in r.mentee.ineligible {
                let shown = ids.prefix(12).map(name).joined(separator: ", ")
                body +=
                    "<li>\(ids.count) \(HTML.escape(rule.phrase)): \(HTML.escape(shown))\(ids.count > 12 ? ", … (\(ids.count - 12) more)" : "")</li>"
            }
            body += "</ul>"
        }
        body += "<h2>Actions</h2>"
        body += HTML.form(
            action: "/rematch", token: token, attributes: "class=\"act\"",
            "<input type=\"hidden\" name=\"mentee\" value=\"\(HTML.escape(mentee))\">"
                + "<label>why <input name=\"reason\" required maxlength=\"500\"></label>" + HTML.reviewerField(Review.currentUser)
                + "<button type=\"submit\">Re-match this mentee</button>")
        body += HTML.form(
            action: "/decisions", token: token, attributes: "class=\"act\"",
            "<input type=\"hidden\" name=\"mentee\" value=\"\(HTML.escape(mentee))\"><input type=\"hidden\" name=\"action\" value=\"lock\">"
                + "<input type=\"hidden\" name=\"back\" value=\"/proposals/\(id)/mentees/\(HTML.escape(HTML.query(mentee)))\">"
                + "<label>mentor id <input name=\"mentor\" required maxlength=\"200\"></label>"
                + "<label>why <input name=\"reason\" required maxlength=\"500\"></label>" + HTML.reviewerField(Review.currentUser)
                + "<button type=\"submit\">Fix this negotiated pair</button>")
        return HTML.page(title: name(mentee), program: programName, body: body)
    }

    /// Each factor's value, weight and share of the points, as SPEC 3 adds them up.
    private func factorTable(_ f: Factors, points: Int, policy: Policy) -> String {
        let w = policy.weights
        var rows: [(String, Double, Double)] = [
            ("skills", f.skills, w.skills), ("level", f.level, w.level), ("time zone", f.timezone, w.timezone),
            ("preference", f.preference, w.preference), ("style", f.style, w.style), ("other department", f.crossDepartment, w.crossDepartment)
        ]
        rows += zip(f.extra, policy.extraFactorWeights).map { ($0.name, $0.value, $1) }
        var out =
            "<table class=\"factors\"><thead><tr><th>factor</th><th class=\"num\">value</th><th class=\"num\">weight</th><th class=\"num\">points</th></tr></thead><tbody>"
        for (label, value, weight) in rows {
            out += "<tr><td>\(HTML.escape(label))</td><td class=\"num\">\(String(format: "%.3f", value))</td>"
            out +=
                "<td class=\"num\">\(String(format: "%.2f", weight))</td><td class=\"num\">\(String(format: "%.1f", 1000 * weight * value))</td></tr>"
        }
        out += "<tr><th>pair</th><th></th><th></th><th class=\"num\">\(points)</th></tr></tbody></table>"
        if policy.rules.minPairPoints > 0 {
            out +=
                "<p>rules.min_pair_points \(policy.rules.minPairPoints): \(points >= policy.rules.minPairPoints ? "at or above the floor" : "below the floor")</p>"
        }
        return out
    }
}
