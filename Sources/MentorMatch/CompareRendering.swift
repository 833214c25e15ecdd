import Foundation
import MatchModel
import MatchSolver

/// Side-by-side figures of compared variants: one column per variant.
public enum CompareRendering {
    /// Rows of (label, value per column). Equity rates are aggregates only.
    /// Each figure of the comparison, one value per column (the table, the report and the review room show these).
    public static func rows(_ columns: [Compare.Column]) -> [(String, [String])] {
        func fig(_ f: (Proposal) -> String) -> [String] { columns.map { c in c.proposal.map(f) ?? "—" } }
        let g = Numbers.grouped
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func num(_ x: Double) -> String { String(format: "%.3f", x) }
        var rows: [(String, [String])] = [
            ("changes", columns.map { $0.changes.isEmpty ? "—" : $0.changes.joined(separator: "; ") }),
            ("status", columns.map { $0.proposal?.status.rawValue ?? "error" }),
            ("coverage", fig { g($0.objective.coverage) }),
            ("matched mentees", fig { "\(g($0.objective.matchedMentees)) of \(g($0.metrics.mentees))" }),
            ("matched, high priority", fig { "\($0.metrics.highPriorityMatched) of \($0.metrics.highPriorityMentees)" }),
            (
                "matched, normal priority",
                fig { "\($0.objective.matchedMentees - $0.metrics.highPriorityMatched) of \($0.metrics.mentees - $0.metrics.highPriorityMentees)" }
            ),
            ("total points", fig { g($0.objective.totalPoints) }),
            ("mean points", fig { String(format: "%.1f", $0.metrics.meanPoints) }),
            ("minimum points", fig { "\($0.objective.minPoints)" }),
            ("skills (mean)", fig { num($0.metrics.factorMeans.skills) }),
            ("level (mean)", fig { num($0.metrics.factorMeans.level) }),
            ("timezone (mean)", fig { num($0.metrics.factorMeans.timezone) }),
            ("preference (mean)", fig { num($0.metrics.factorMeans.preference) }),
            ("style (mean)", fig { num($0.metrics.factorMeans.style) }),
            ("cross-department share", fig { pct($0.metrics.crossDepartmentShare) }),
            ("mentor utilisation", fig { "\(pct($0.metrics.mentorUtilisation)) (\($0.metrics.pairs)/\($0.metrics.mentorCapacity))" }),
            ("mentors used", fig { "\($0.metrics.mentorsUsed) of \($0.metrics.mentors)" })
        ]
        // Equity rates: every group that appears in any column.
        var groupKeys: [(String, String)] = []
        for c in columns {
            for (attr, groups) in c.proposal?.metrics.groupRates ?? [:] {
                for v in groups.keys where !groupKeys.contains(where: { $0 == (attr, v) }) { groupKeys.append((attr, v)) }
            }
        }
        for (attr, value) in groupKeys.sorted(by: { $0 < $1 }) {
            rows.append(("rate \(attr)=\(value)", fig { p in p.metrics.groupRates[attr]?[value].map { pct($0.rate) } ?? "—" }))
        }
        var departments = Set<String>()
        for c in columns { departments.formUnion(c.proposal?.metrics.departmentRates.keys ?? [:].keys) }
        for d in departments.sorted() {
            rows.append(("rate department \(d)", fig { p in p.metrics.departmentRates[d].map { pct($0.rate) } ?? "—" }))
        }
        if columns.contains(where: { $0.proposal?.metrics.locationReach != nil }) {
            rows.append(("location reach (outside share)", fig { p in p.metrics.locationReach.map { "\(pct($0.share)) of \($0.pairs)" } ?? "—" }))
        }
        rows.append(("pairs changed vs base", columns.map { c in c.proposal == nil ? "—" : "+\(c.added.count) −\(c.removed.count)" }))
        rows.append(("solve time", fig { String(format: "%.2f s", $0.totalSeconds) }))
        return rows
    }

    /// - Parameter width: the terminal's width; wider tables are cut into blocks of
    ///   variants, each beside the base (nil: one table however wide).
    public static func table(_ r: Compare.Result, listChanges: Bool, width: Int? = nil) -> String {
        // What defines each variant, above the table (in a cell it made the table hundreds of characters wide).
        var out =
            "variants:\n"
            + r.columns.map { "  \($0.name): " + ($0.changes.isEmpty ? "the program as it is" : $0.changes.joined(separator: "; ")) + "\n" }.joined()
            + "\n"
        let figures = rows(r.columns).filter { $0.0 != "changes" }
        func block(_ indices: [Int]) -> String {
            TextTable.render(
                header: ["figure"] + indices.map { r.columns[$0].name },
                rows: figures.map { row in [row.0] + indices.map { row.1[$0] } }, rightAligned: Set(1...max(1, indices.count)))
        }
        var blocks: [[Int]] = []
        if let width, !r.columns.isEmpty {
            // A block is as wide as its label column plus each of its columns and two spaces before each.
            let labelWidth = figures.reduce("figure".count) { max($0, $1.0.count) }
            let columnWidth = r.columns.indices.map { i in figures.reduce(r.columns[i].name.count) { max($0, $1.1[i].count) } }
            var current = [0], used = labelWidth + 2 + columnWidth[0]
            for i in r.columns.indices.dropFirst() {
                if used + 2 + columnWidth[i] > width && current.count > 1 {
                    blocks.append(current)
                    current = [0, i]
                    used = labelWidth + 2 + columnWidth[0] + 2 + columnWidth[i]
                } else {
                    current.append(i)
                    used += 2 + columnWidth[i]
                }
            }
            blocks.append(current)
        } else {
            blocks = [Array(r.columns.indices)]
        }
        out += blocks.map(block).joined(separator: "\n")
        func who(_ id: String) -> String { r.names[id].map { $0.isEmpty || $0 == id ? id : "\($0) (\(id))" } ?? id }
        for c in r.columns {
            if let e = c.error { out += "\n\(c.name): \(e)\n" }
            if let p = c.proposal, p.status == .infeasible { out += "\n\(c.name) is infeasible: " + p.conflicts.joined(separator: "; ") + "\n" }
        }
        if listChanges {
            for c in r.columns.dropFirst() where !(c.added.isEmpty && c.removed.isEmpty) {
                out += "\n\(c.name) against base, by mentee:\n"
                let mentees = Set(c.added.map(\.menteeID) + c.removed.map(\.menteeID)).sorted()
                for e in mentees {
                    let gained = c.added.filter { $0.menteeID == e }.map { who($0.mentorID) }
                    let lost = c.removed.filter { $0.menteeID == e }.map { who($0.mentorID) }
                    let change: String
                    switch (lost.isEmpty, gained.isEmpty) {
                    case (true, false): change = "newly matched with " + gained.joined(separator: ", ")
                    case (false, true): change = "no longer matched (was " + lost.joined(separator: ", ") + ")"
                    default: change = lost.joined(separator: ", ") + " → " + gained.joined(separator: ", ")
                    }
                    out += "  \(who(e)): \(change)\n"
                }
            }
        }
        if !r.prices.isEmpty, let base = r.columns.first?.proposal {
            out += "\nprice of each rule (what the base would gain without it):\n"
            let rows = r.prices.map { c -> [String] in
                guard let p = c.proposal else { return [c.name, "error", "", "", ""] }
                if p.status == .infeasible { return [c.name, "infeasible", "", "", ""] }
                return [
                    c.name, signed(p.objective.coverage - base.objective.coverage),
                    signed(p.objective.matchedMentees - base.objective.matchedMentees),
                    signed(p.objective.totalPoints - base.objective.totalPoints),
                    signed(p.objective.minPoints - base.objective.minPoints)
                ]
            }
            out += TextTable.render(
                header: ["rule", "coverage", "matched", "total points", "min points"], rows: rows,
                rightAligned: [1, 2, 3, 4])
        }
        return out
    }

    static func signed(_ x: Int) -> String { x > 0 ? "+\(x)" : "\(x)" }

    public static func csv(_ r: Compare.Result) -> String {
        var out = (["figure"] + r.columns.map(\.name)).map(ProposalRendering.safeCSVField).joined(separator: ",") + "\n"
        for (label, values) in rows(r.columns) {
            out += ([label] + values).map(ProposalRendering.safeCSVField).joined(separator: ",") + "\n"
        }
        return out
    }

    struct JSONColumn: Encodable {
        let name: String
        let changes: [String]
        let status: String
        let error: String?
        let objective: [String: Int]?
        let metrics: CohortMetrics?
        let conflicts: [String]?
        let pairs_added: [String]
        let pairs_removed: [String]
        let seconds: Double?
    }

    public static func json(_ r: Compare.Result) -> String {
        func col(_ c: Compare.Column) -> JSONColumn {
            JSONColumn(
                name: c.name, changes: c.changes, status: c.proposal?.status.rawValue ?? "error", error: c.error,
                objective: c.proposal.map {
                    [
                        "coverage": $0.objective.coverage, "matched_mentees": $0.objective.matchedMentees,
                        "total_points": $0.objective.totalPoints, "min_points": $0.objective.minPoints
                    ]
                },
                metrics: c.proposal?.metrics, conflicts: c.proposal.flatMap { $0.conflicts.isEmpty ? nil : $0.conflicts },
                pairs_added: c.added.map(\.description), pairs_removed: c.removed.map(\.description),
                seconds: c.proposal.map { ($0.totalSeconds * 1000).rounded() / 1000 })
        }
        struct Doc: Encodable {
            let variants: [JSONColumn]
            let rule_prices: [JSONColumn]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Doc(variants: r.columns.map(col), rule_prices: r.prices.map(col)))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
