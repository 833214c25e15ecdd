import Foundation
import MatchModel
import MentorMatch

extension ReviewRoom {
    /// The what-if files beside the program (YAML files whose `base` is this program).
    func whatIfFiles() -> [String] {
        let folder = (programPath as NSString).deletingLastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        let program = URL(fileURLWithPath: programPath).standardizedFileURL.path
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().filter { name in
            guard let w = try? WhatIfFile(path: (folder as NSString).appendingPathComponent(name)) else { return false }
            return URL(fileURLWithPath: w.basePath).standardizedFileURL.path == program
        }
    }

    /// The what-if files to compare, and the form that starts a comparison.
    func comparePage() throws -> String {
        let files = whatIfFiles()
        var body = "<h1>Compare what-if variants</h1>"
        guard !files.isEmpty else {
            body += "<p>No what-if file names this program as its <code>base</code>. Write one beside it (see docs/program-file.md), e.g.</p>"
            body +=
                "<pre>base: \(HTML.escape((programPath as NSString).lastPathComponent))\nvariants:\n  - name: 9 h time-zone limit\n    set:\n      rules.max_timezone_gap_hours: 9</pre>"
            return HTML.page(title: "Compare", program: programName, body: body)
        }
        body +=
            "<p>Each variant is solved to proven optimality beside the program as it is; with rule prices, each rule is also taken out alone to show what it costs.</p>"
        body += HTML.form(
            action: "/compare", token: token, attributes: "class=\"act\"",
            "<label>what-if file <select name=\"file\">" + files.map { "<option>\(HTML.escape($0))</option>" }.joined() + "</select></label>"
                + "<label><span><input type=\"checkbox\" name=\"prices\" value=\"yes\"> price each rule</span></label>"
                + "<button type=\"submit\">Compare</button>")
        return HTML.page(title: "Compare", program: programName, body: body)
    }

    /// Starts a comparison of the chosen what-if file's variants; its page shows the table.
    func compare(_ form: FormData) throws -> String {
        guard let name = form["file"], whatIfFiles().contains(name) else {
            throw PageError(status: .badRequest, message: "choose one of the what-if files beside the program")
        }
        let folder = (programPath as NSString).deletingLastPathComponent
        let file = try WhatIfFile(path: (folder as NSString).appendingPathComponent(name))
        let prices = form["prices"] == "yes"
        let id = jobs.start { progress in
            var compare = Compare()
            compare.priceRules = prices
            compare.progress = progress
            let result = try compare.run(basePath: file.basePath, variants: file.variants)
            var html = Self.compareTable("Variants side by side", result.columns)
            if !result.prices.isEmpty { html += Self.compareTable("What each rule costs (the rule taken out alone)", result.prices) }
            return BackgroundJobs.Outcome(
                summary: "compared \(result.columns.count - 1) variants of \(name)", link: ("/compare", "Compare again"), html: html)
        }
        return "/jobs/\(id)"
    }

    private static func compareTable(_ title: String, _ columns: [Compare.Column]) -> String {
        var out = "<h2>\(HTML.escape(title))</h2><table class=\"compare\"><thead><tr><th>figure</th>"
        out += columns.map { "<th>\(HTML.escape($0.name))</th>" }.joined() + "</tr></thead><tbody>"
        for (label, values) in CompareRendering.rows(columns) {
            out += "<tr><td>\(HTML.escape(label))</td>" + values.map { "<td>\(HTML.escape($0))</td>" }.joined() + "</tr>"
        }
        for c in columns where c.error != nil {
            out += "<tr><td colspan=\"\(columns.count + 1)\" class=\"error\">\(HTML.escape(c.name)): \(HTML.escape(c.error!))</td></tr>"
        }
        return out + "</tbody></table>"
    }
}
