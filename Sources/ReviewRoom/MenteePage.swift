import Foundation
import MatchModel
import MentorMatch

extension ReviewRoom {
    /// A mentee in a stored proposal: the explanation `explain` gives (factor table, the next-best
    /// mentors and why not, the smallest change that would help an unmatched mentee), and a re-match.
    func menteePage(_ id: Int64, mentee: String) throws -> String {
        let result = try Explain().run(programPath: programPath, menteeID: mentee, mentorID: nil, stored: (review, id))
        let name = result.names[mentee].map { $0.isEmpty || $0 == mentee ? mentee : "\($0) (\(mentee))" } ?? mentee
        var body = "<p><a href=\"/proposals/\(id)\">← proposal \(id)</a></p><h1>\(HTML.escape(name))</h1>"
        body += "<pre class=\"explain\">\(HTML.escape(Explain.render(result)))</pre>"
        body += HTML.form(
            action: "/rematch", token: token, attributes: "class=\"act\"",
            "<input type=\"hidden\" name=\"mentee\" value=\"\(HTML.escape(mentee))\"><input type=\"hidden\" name=\"proposal\" value=\"\(id)\">"
                + "<label>why <input name=\"reason\" required maxlength=\"500\"></label>" + HTML.reviewerField(Review.currentUser)
                + "<button type=\"submit\">Re-match this mentee</button>")
        return HTML.page(title: name, program: programName, body: body)
    }
}
