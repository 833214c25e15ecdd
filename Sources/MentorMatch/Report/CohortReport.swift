import Foundation
import MatchModel
import MatchSolver

/// A self-contained HTML report of a cohort: headline figures, charts drawn
/// as inline SVG, aggregate equity rates (small groups merged or
/// suppressed), the pairs, the unmatched, and an optional comparison of
/// variants. No network, no scripts; prints cleanly to PDF.
public struct CohortReport: Sendable {
    public var proposal: Proposal
    public var program: Program
    public var comparison: Compare.Result?
    /// Groups with fewer mentees are merged into "other (small groups)", or suppressed.
    public var minimumGroupSize = 5
    /// When set, names and ids are replaced by stable pseudonyms.
    public var pseudonyms: Pseudonyms?
    public var generated = Date()

    public init(proposal: Proposal, program: Program, comparison: Compare.Result? = nil) {
        self.proposal = proposal
        self.program = program
        self.comparison = comparison
    }

    /// Chart ids in the report, in order (for tests and links).
    public static let chartIDs = ["points-distribution", "factor-mix", "timezone-overlap", "mentor-load", "equity-rates"]

    public func html() -> String {
        let names = ReportNames(pseudonyms: pseudonyms, people: program.people)
        var out = header(pseudonymised: names.pseudonymised)
        out += headline(names)
        out += fitSection()
        out += overlapSection()
        out += loadSection()
        out += equitySection()
        if let c = comparison { out += comparisonSection(c) }
        out += pairsSection(names)
        out +=
            "<footer>MentorMatch · figures by group are aggregates; no equity attribute of any person appears in this report.</footer></body></html>\n"
        return out
    }

    private func header(pseudonymised: Bool) -> String {
        let e = SVGChart.esc
        let p = proposal
        return """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(e(p.programName)) — cohort report</title>
            <style>\(Self.css)</style></head><body>
            <header><h1>\(e(p.programName))</h1>
            <p class="sub">\(e(p.cohort.isEmpty ? "" : "Cohort \(p.cohort) · "))\(e(program.start.description)) for \(program.durationMonths) months · report of \(e(ISO8601DateFormatter().string(from: generated)))\(pseudonymised ? " · pseudonymised" : "")</p></header>
            """
    }

    /// Headline figures and the proof in a sentence.
    private func headline(_ names: ReportNames) -> String {
        let e = SVGChart.esc
        let p = proposal, m = p.metrics
        var out = ""
        let statusText: String
        switch p.status {
        case .optimal:
            statusText =
                "Proven optimal (\(p.engine) engine): no cohort that keeps every rule matches more mentees, and none with as many has more total fit."
        case .feasible: statusText = "Feasible: every rule is kept, but the cohort is not proven the best. \(p.proofNote ?? "")"
        case .timeLimit: statusText = "Stopped at the time limit — not proven optimal. \(p.proofNote ?? "")"
        case .infeasible: statusText = "Infeasible: " + p.conflicts.joined(separator: "; ")
        }
        let proofText = names.scrub(statusText)
        func card(_ label: String, _ value: String, _ note: String) -> String {
            "<div class=\"card\"><div class=\"label\">\(e(label))</div><div class=\"value\">\(e(value))</div><div class=\"note\">\(e(note))</div></div>"
        }
        out += "<section id=\"headline\"><h2>Headline</h2><div class=\"cards\">"
        out += card("Matched mentees", "\(p.objective.matchedMentees) of \(m.mentees)", String(format: "%.1f%% match rate", m.matchRate * 100))
        out += card(
            "Coverage", "\(p.objective.coverage)",
            "high priority counts twice; \(m.highPriorityMatched) of \(m.highPriorityMentees) high-priority matched")
        out += card("Mean fit", String(format: "%.0f", m.meanPoints), "points per pair, of 1000")
        out += card("Weakest pair", "\(p.objective.minPoints)", "minimum points")
        out += card(
            "Mentor places used", "\(m.pairs) of \(m.mentorCapacity)",
            String(format: "%.0f%%, %d of %d mentors", m.mentorUtilisation * 100, m.mentorsUsed, m.mentors))
        if let tiers = m.tierPairs {
            out += card("Tier fill", tiers.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: " · "), "pairs in each tier")
        }
        if let b = m.blockingPairs {
            out += card("Blocking pairs", "\(b)", "pairs who rank each other and would both rather be together")
        }
        out += card("Solve", p.status.rawValue, String(format: "%.2f s", p.totalSeconds))
        out += "</div><p class=\"proof\">\(e(proofText))</p></section>"

        return out
    }

    /// Points distribution and the factor mix.
    private func fitSection() -> String {
        let p = proposal, m = p.metrics
        var out = ""
        var bins = Array(repeating: 0, count: 10)
        for pair in p.pairs { bins[min(9, pair.points / 100)] += 1 }
        out += "<section><h2>Fit of the pairs</h2>"
        out += SVGChart.bars(
            id: "points-distribution", title: "Distribution of pair points",
            description:
                "Number of pairs in each band of 100 points; \(p.pairs.count) pairs, mean \(Int(m.meanPoints.rounded())), minimum \(p.objective.minPoints).",
            bars: bins.enumerated().map { .init(label: "\($0.offset * 100)–\($0.offset * 100 + 99)", value: Double($0.element)) },
            xLabel: "points", yLabel: "pairs")
        // Factor mix: mean weighted contribution of each factor.
        let w = program.policy.weights, f = m.factorMeans
        let mix: [(String, Double, Double)] = [
            ("skills", w.skills, f.skills), ("level", w.level, f.level), ("timezone", w.timezone, f.timezone),
            ("preference", w.preference, f.preference), ("style", w.style, f.style),
            ("cross_department", w.crossDepartment, f.crossDepartment)
        ]
        out += SVGChart.horizontal(
            id: "factor-mix", title: "Factor mix",
            description: "Mean points each factor adds to a pair (weight × mean factor × 1000); the bars add up to the mean fit.",
            bars: mix.map {
                .init(
                    label: "\($0.0) (w \(SVGChart.fmt($0.1)))", value: 1000 * $0.1 * $0.2,
                    text: String(format: "%.0f pts (mean %.2f)", 1000 * $0.1 * $0.2, $0.2))
            },
            maxValue: max(1, mix.map { 1000 * $0.1 * $0.2 }.max() ?? 1))
        out += "</section>"
        return out
    }

    /// Time-zone overlap: overlap hours = 8 × timezone factor.
    private func overlapSection() -> String {
        var out = ""
        var overlap = Array(repeating: 0, count: 9)
        for pair in proposal.pairs { overlap[min(8, max(0, Int((pair.factors.timezone * 8).rounded(.down))))] += 1 }
        out += "<section><h2>Working-hours overlap</h2>"
        out += SVGChart.bars(
            id: "timezone-overlap", title: "Time-zone overlap of pairs",
            description: "Pairs by hours of an 8-hour working day that mentor and mentee share (8 = same time zone).",
            bars: overlap.enumerated().map { .init(label: "\($0.offset) h", value: Double($0.element)) },
            xLabel: "shared working hours", yLabel: "pairs")
        out += "</section>"
        return out
    }

    /// Mentor load against capacity.
    private func loadSection() -> String {
        let p = proposal, m = p.metrics
        var out = ""
        let instance = MatchInstance(program: program)
        var load: [String: Int] = [:]
        for pair in p.pairs { load[pair.mentorID, default: 0] += 1 }
        var unused = 0, partly = 0, full = 0
        for (slot, person) in instance.mentors.enumerated() {
            let l = load[program.people[person].id] ?? 0, c = instance.capacity[slot]
            if l == 0 { unused += 1 } else if l < c { partly += 1 } else { full += 1 }
        }
        out += "<section><h2>Mentor load</h2>"
        out += SVGChart.horizontal(
            id: "mentor-load", title: "Mentor load against capacity",
            description: "Mentors with no mentee, with free places, and full; \(m.pairs) of \(m.mentorCapacity) places used.",
            bars: [
                .init(label: "no mentee", value: Double(unused)), .init(label: "some places free", value: Double(partly)),
                .init(label: "full", value: Double(full))
            ],
            maxValue: Double(max(1, max(unused, partly, full))))
        out += "</section>"
        return out
    }

    /// Equity rates, aggregates only; small groups merged or suppressed.
    private func equitySection() -> String {
        let m = proposal.metrics
        var out = ""
        let (rateBars, suppressed) = equityBars()
        out += "<section><h2>Equal access</h2>"
        out +=
            "<p>Share of mentees matched in each group against the overall rate (\(String(format: "%.1f%%", m.matchRate * 100))). Groups with fewer than \(minimumGroupSize) mentees are merged into “other (small groups)”, or left out when still too small\(suppressed > 0 ? " (\(suppressed) left out)" : "").</p>"
        out += SVGChart.horizontal(
            id: "equity-rates", title: "Match rate by group, department and location",
            description: "Match rate of each equity group, department and location reach, with the overall rate as a dashed line.",
            bars: rateBars, maxValue: 1, reference: (m.matchRate, "overall"))
        out += "</section>"
        return out
    }

    /// The variants of a what-if file side by side.
    private func comparisonSection(_ c: Compare.Result) -> String {
        let e = SVGChart.esc
        var out = ""
        out += "<section id=\"comparison\"><h2>Variants side by side</h2>"
        let cols = c.columns.filter { $0.proposal != nil }
        out += SVGChart.horizontal(
            id: "variants", title: "Matched mentees by variant",
            description: "Matched mentees and mean points in each what-if variant of the program.",
            bars: cols.map { c in
                let p = c.proposal!
                return .init(
                    label: String(c.name.prefix(28)), value: Double(p.objective.matchedMentees),
                    text: String(format: "%d matched, mean %.0f pts", p.objective.matchedMentees, p.metrics.meanPoints))
            },
            maxValue: Double(max(1, cols.map { $0.proposal!.metrics.mentees }.max() ?? 1)))
        let rows = CompareRendering.rows(c.columns)
        out += "<table><thead><tr><th>figure</th>" + c.columns.map { "<th>\(e($0.name))</th>" }.joined() + "</tr></thead><tbody>"
        for (label, values) in rows where !isSmallGroupRow(label) {
            out += "<tr><td>\(e(label))</td>" + values.map { "<td>\(e($0))</td>" }.joined() + "</tr>"
        }
        out += "</tbody></table></section>"
        return out
    }

    /// Pairs and unmatched (no equity attributes, ever).
    private func pairsSection(_ names: ReportNames) -> String {
        let e = SVGChart.esc
        let p = proposal
        var out = ""
        out +=
            "<section id=\"pairs\"><h2>Pairs (\(p.pairs.count))</h2><table><thead><tr><th>mentee</th><th>mentor</th><th class=\"num\">points</th><th class=\"num\">skills</th><th class=\"num\">overlap</th><th>decision</th></tr></thead><tbody>"
        for pair in p.pairs {
            out +=
                "<tr><td>\(e(names.who(pair.menteeID)))</td><td>\(e(names.who(pair.mentorID)))</td><td class=\"num\">\(pair.points)</td><td class=\"num\">\(String(format: "%.2f", pair.factors.skills))</td><td class=\"num\">\(Int((pair.factors.timezone * 8).rounded(.down))) h</td><td>\(pair.decision?.rawValue ?? (pair.locked ? "kept" : ""))</td></tr>"
        }
        out += "</tbody></table></section>"
        if !p.unmatched.isEmpty {
            out += "<section id=\"unmatched\"><h2>Not matched (\(p.unmatched.count))</h2><ul>"
            for u in p.unmatched {
                out += "<li><strong>\(e(names.who(u.menteeID)))</strong>: \(e(names.scrub(u.reasons.joined(separator: "; "))))</li>"
            }
            out += "</ul></section>"
        }
        return out
    }

    private func isSmallGroupRow(_ label: String) -> Bool {
        guard label.hasPrefix("rate ") else { return false }
        let m = proposal.metrics
        for (attr, groups) in m.groupRates { for (v, r) in groups where label == "rate \(attr)=\(v)" { return r.mentees < minimumGroupSize } }
        for (d, r) in m.departmentRates where label == "rate department \(d)" { return r.mentees < minimumGroupSize }
        return false
    }

    /// Bars for every group large enough to show, small groups merged per family.
    func equityBars() -> ([SVGChart.Bar], Int) {
        let m = proposal.metrics
        var bars: [SVGChart.Bar] = []
        var suppressed = 0
        func family(_ prefix: String, _ groups: [String: CohortMetrics.Rate]) {
            var small = (mentees: 0, matched: 0, count: 0)
            for (value, r) in groups.sorted(by: { $0.key < $1.key }) {
                if r.mentees >= minimumGroupSize {
                    bars.append(.init(label: "\(prefix)\(value)", value: r.rate, text: String(format: "%.0f%% of %d", r.rate * 100, r.mentees)))
                } else {
                    small.mentees += r.mentees
                    small.matched += r.matched
                    small.count += 1
                }
            }
            if small.count > 0 {
                if small.mentees >= minimumGroupSize && small.count > 1 {
                    let rate = Double(small.matched) / Double(small.mentees)
                    bars.append(
                        .init(label: "\(prefix)other (small groups)", value: rate, text: String(format: "%.0f%% of %d", rate * 100, small.mentees)))
                } else {
                    suppressed += small.count
                }
            }
        }
        for attr in m.groupRates.keys.sorted() { family("\(attr): ", m.groupRates[attr]!) }
        family("department: ", m.departmentRates)
        if let levels = m.levelRates { family("levels ", levels) }
        if let r = m.locationReach {
            bars.append(
                .init(
                    label: "mentors at \(r.location): reach outside", value: r.share,
                    text: String(format: "%.0f%% of %d (need %.0f%%)", r.share * 100, r.pairs, r.required * 100)))
        }
        return (bars, suppressed)
    }

    static let css = """
        body{font:15px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#111;max-width:980px;margin:24px auto;padding:0 16px}
        h1{font-size:26px;margin:0}h2{font-size:19px;border-bottom:1px solid #999;padding-bottom:4px;margin-top:32px}
        .sub{color:#444;margin:4px 0 0}.cards{display:flex;flex-wrap:wrap;gap:10px}
        .card{border:1px solid #888;border-radius:6px;padding:8px 12px;min-width:140px;flex:1}
        .card .label{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#444}.card .value{font-size:24px;font-weight:700}
        .card .note{font-size:12px;color:#444}.proof{background:#eee;border-left:4px solid #333;padding:8px 12px}
        svg.chart{max-width:100%;height:auto;display:block;margin:12px 0}
        svg .bar rect{fill:#4d4d4d}svg .grid{stroke:#ddd}svg .axis{stroke:#222}
        svg .tick{font-size:11px;fill:#333}svg .value{font-size:11px;fill:#111}svg .axis-label{font-size:12px;fill:#222}
        svg .reference{stroke:#000;stroke-width:2;stroke-dasharray:6 4}svg .reference-label{font-size:11px;font-weight:700}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #ccc;padding:3px 6px;text-align:left}
        td.num,th.num{text-align:right}footer{margin-top:32px;font-size:12px;color:#444}
        @media print{body{margin:0;max-width:none}section{break-inside:avoid}#pairs,#unmatched{break-before:page}a{color:#000}}
        """
}

/// Who a report names: "Name (id)" from the roster, or a stable pseudonym — and free text (conflicts,
/// reasons) with every id token pseudonymised too. A class: the pseudonyms are assigned as they are
/// first asked for, in the report's order.
private final class ReportNames {
    private var pseudonyms: Pseudonyms?
    private let people: [String: Person]
    var pseudonymised: Bool { pseudonyms != nil }

    init(pseudonyms: Pseudonyms?, people: [Person]) {
        self.pseudonyms = pseudonyms
        self.people = Dictionary(people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func who(_ id: String) -> String {
        if pseudonyms != nil { return pseudonyms!.name(for: id) }
        let name = people[id]?.name ?? ""
        return name.isEmpty || name == id ? id : "\(name) (\(id))"
    }

    func scrub(_ text: String) -> String {
        guard pseudonyms != nil else { return text }
        var out = "", token = ""
        func flush() {
            if people[token] != nil { out += pseudonyms!.name(for: token) } else { out += token }
            token = ""
        }
        for ch in text {
            if ch.isLetter || ch.isNumber || ch == "_" || ch == "-" || ch == "." {
                token.append(ch)
            } else {
                flush()
                out.append(ch)
            }
        }
        flush()
        return out
    }
}
