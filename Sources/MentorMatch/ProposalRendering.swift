import Foundation
import GLPKEngine
import MatchModel
import MatchSolver

/// Output formats of `propose`.
public enum ProposalFormat: String, Sendable, CaseIterable {
    case table, json, csv
}

/// Turns a proposal into the bytes of each output format.
public enum ProposalRendering {
    public static func render(
        _ p: Proposal, as format: ProposalFormat, names: [String: String] = [:],
        layout: TableLayout = TableLayout()
    ) -> String {
        switch format {
        case .json: return json(p)
        case .csv: return csv(p)
        case .table: return table(p, names: names, layout: layout)
        }
    }

    /// How the table for people is laid out.
    public struct TableLayout: Sendable {
        /// The widest line allowed (the terminal's width); nil for no limit.
        public var width: Int?
        /// List every unmatched mentee, not a summary by reason.
        public var allUnmatched = false
        /// Above this many unmatched mentees, the table summarises them by reason.
        public var unmatchedListed = 25
        public init(width: Int? = nil, allUnmatched: Bool = false) {
            self.width = width
            self.allUnmatched = allUnmatched
        }
    }

    // MARK: JSON (SPEC 5.1 contract fields, plus extras)

    struct JSONProposal: Encodable {
        struct Objective: Encodable {
            let coverage: Int
            let matched_mentees: Int
            let total_points: Int
            let min_points: Int
            /// Only when it is a stage of the objective (SPEC 9.3).
            let mentors_used: Int?
        }
        struct Pair: Encodable {
            let mentor: String
            let mentee: String
            let points: Int
            let factors: Factors
            let locked: Bool
            /// "accepted", "locked" or null (beyond SPEC 5.1: both decisions fix a pair, so both are `locked`).
            let decision: String?
            /// The pair's tier, only in a program with tiers (SPEC 9.4).
            let tier: String?

            enum CodingKeys: String, CodingKey { case mentor, mentee, points, factors, locked, decision, tier }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(mentor, forKey: .mentor)
                try c.encode(mentee, forKey: .mentee)
                try c.encode(points, forKey: .points)
                try c.encode(factors, forKey: .factors)
                try c.encode(locked, forKey: .locked)
                try c.encode(decision, forKey: .decision)
                try c.encodeIfPresent(tier, forKey: .tier)
            }
        }
        struct Unmatched: Encodable {
            let mentee: String
            let reasons: [String]
        }
        struct Stage: Encodable {
            let name: String
            let termination: String
            let objective: Double?
            let bound: Double?
            let seconds: Double
            let variables: Int
            let constraints: Int
        }
        struct Solver: Encodable {
            let seconds: Double
            let total_seconds: Double
            let scan_seconds: Double?
            let engine: String
            let glpk_version: String
            let proven_optimal: Bool
            let proof: String?
            /// The proof as values (beyond SPEC 5.1): for tools that check a bound.
            let bounds: Bounds?
            let stages: [Stage]
        }
        struct Bounds: Encodable {
            let cohort_found: Bool
            let coverage_at_most: Int?
            let total_points_at_most: Int?
        }
        let program: String
        let cohort: String
        let status: String
        let objective: Objective
        let pairs: [Pair]
        let unmatched: [Unmatched]
        let metrics: CohortMetrics
        let conflicts: [String]?
        let solver: Solver
    }

    public static func json(_ p: Proposal) -> String { splicedJSON(p, chunk: 2_048) ?? singleEncoderJSON(p) }

    /// The JSON document from one encoder.
    static func singleEncoderJSON(_ p: Proposal) -> String {
        document(p, pairs: jsonPairs(p), unmatched: jsonUnmatched(p)) + "\n"
    }

    /// The same text, with pairs and unmatched mentees (nearly all of a large proposal's
    /// text: 49 k pairs and 49 k unmatched at 100k × 25k) encoded `chunk` at a time on every
    /// core and spliced in where the encoder wrote empty arrays. Nil when there is nothing
    /// to split or the encoder's empty arrays are not where they are expected.
    static func splicedJSON(_ p: Proposal, chunk: Int) -> String? {
        let pairs = jsonPairs(p), unmatched = jsonUnmatched(p)
        guard chunk < max(pairs.count, unmatched.count) else { return nil }
        // How the encoder writes an empty array under a top-level key (its text after `"k" : `).
        let emptyKeyed = Array(encodedText(["k": [Int]()]).utf8)
        let prefix = Array("{\n  \"k\" : ".utf8), suffix = Array("\n}".utf8)
        guard emptyKeyed.count >= prefix.count + suffix.count, emptyKeyed.starts(with: prefix),
            emptyKeyed.suffix(suffix.count).elementsEqual(suffix)
        else { return nil }
        let empty = emptyKeyed[prefix.count..<(emptyKeyed.count - suffix.count)]
        // Bytes throughout: the document is a few kilobytes, the spliced text tens of megabytes.
        let doc = Array(document(p, pairs: [], unmatched: []).utf8)
        var out: [UInt8] = []
        var at = 0
        for (key, body) in [("pairs", encodedElements(pairs, chunk: chunk)), ("unmatched", encodedElements(unmatched, chunk: chunk))]
        where !body.isEmpty {
            // Top-level keys are indented by two spaces; "pairs" also names a metric, deeper.
            let blank = Array("\n  \"\(key)\" : ".utf8) + empty
            guard let found = (at...max(at, doc.count - blank.count)).first(where: { doc[$0...].starts(with: blank) }) else { return nil }
            if out.isEmpty { out.reserveCapacity(doc.count + 2 * body.count) }
            out += doc[at..<found]
            out += Array("\n  \"\(key)\" : [\n".utf8)
            out += body
            out += Array("\n  ]".utf8)
            at = found + blank.count
        }
        out += doc[at...]
        out.append(10)
        return String(decoding: out, as: UTF8.self)
    }

    private static func jsonPairs(_ p: Proposal) -> [JSONProposal.Pair] {
        p.pairs.map {
            .init(
                mentor: $0.mentorID, mentee: $0.menteeID, points: $0.points, factors: $0.factors, locked: $0.locked,
                decision: $0.decision?.rawValue, tier: $0.tier)
        }
    }

    private static func jsonUnmatched(_ p: Proposal) -> [JSONProposal.Unmatched] {
        p.unmatched.map { .init(mentee: $0.menteeID, reasons: $0.reasons) }
    }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private static func encodedText<T: Encodable>(_ value: T) -> String {
        String(decoding: (try? makeEncoder().encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The elements as they appear inside a top-level array of the document: each chunk
    /// encoded as an array of its own, its brackets dropped, every line two spaces deeper
    /// (blank lines, the inside of an empty array or object, stay blank, as the encoder writes them).
    private static func encodedElements<T: Encodable>(_ elements: [T], chunk: Int) -> [UInt8] {
        guard !elements.isEmpty else { return [] }
        let texts = parallelChunks(elements, chunk: chunk) { slice -> [UInt8] in
            let data = (try? makeEncoder().encode(Array(slice))) ?? Data()
            return data.withUnsafeBytes { raw -> [UInt8] in
                let b = raw.bindMemory(to: UInt8.self)
                guard let open = b.firstIndex(of: 10), let close = b.lastIndex(of: 10), open < close else { return [] }
                var out: [UInt8] = []
                out.reserveCapacity(b.count + b.count / 4)
                var lineStart = true
                for i in (open + 1)..<close {
                    if lineStart && b[i] != 10 {
                        out.append(32)
                        out.append(32)
                    }
                    out.append(b[i])
                    lineStart = b[i] == 10
                }
                return out
            }
        }
        var joined: [UInt8] = []
        joined.reserveCapacity(texts.reduce(0) { $0 + $1.count + 2 })
        for (c, t) in texts.enumerated() {
            if c > 0 { joined += [44, 10] }  // ",\n"
            joined += t
        }
        return joined
    }

    private static func document(_ p: Proposal, pairs: [JSONProposal.Pair], unmatched: [JSONProposal.Unmatched]) -> String {
        let doc = JSONProposal(
            program: p.programName, cohort: p.cohort, status: p.status.rawValue,
            objective: .init(
                coverage: p.objective.coverage, matched_mentees: p.objective.matchedMentees,
                total_points: p.objective.totalPoints, min_points: p.objective.minPoints,
                mentors_used: p.objectiveStages.contains(.mentorsUsed) ? p.objective.mentorsUsed : nil),
            pairs: pairs,
            unmatched: unmatched,
            metrics: p.metrics,
            conflicts: p.conflicts.isEmpty ? nil : p.conflicts,
            solver: .init(
                seconds: rounded(p.solveSeconds), total_seconds: rounded(p.totalSeconds),
                scan_seconds: p.scanSeconds.map(rounded), engine: p.engine,
                glpk_version: GLPKEngine.version, proven_optimal: p.status == .optimal, proof: p.proofNote,
                bounds: p.proof.map {
                    .init(
                        cohort_found: $0.cohortFound, coverage_at_most: $0.coverageBound,
                        total_points_at_most: $0.pointsBound)
                },
                stages: p.stages.map {
                    .init(
                        name: $0.name, termination: "\($0.termination)", objective: $0.objective,
                        bound: $0.bound, seconds: rounded($0.seconds), variables: $0.variables,
                        constraints: $0.constraints)
                }))
        return encodedText(doc)
    }

    private static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    // MARK: CSV

    public static func csv(_ p: Proposal) -> String {
        var out = "mentor,mentee,points\n"
        for pair in p.pairs { out += "\(safeCSVField(pair.mentorID)),\(safeCSVField(pair.menteeID)),\(pair.points)\n" }
        return out
    }

    /// One RFC 4180 field, exactly as given (for files the tool itself reads back, such as generated rosters).
    public static func csvField(_ s: String) -> String { CSVTable.field(s) }

    /// One field of a CSV file meant for people, safe to open in a spreadsheet: text starting
    /// with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula there
    /// (`=HYPERLINK(…)`), so it gets a leading apostrophe and quotes (OWASP's advice);
    /// plain numbers such as `-12` stay numbers.
    public static func safeCSVField(_ s: String) -> String {
        guard let first = s.first, "=+-@\t\r".contains(first), Double(s) == nil else { return csvField(s) }
        return "\"'" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Table (for people)

    /// The figures above the table: matched, coverage, fit, mentors, tiers, levels, stability, time.
    private static func headline(_ p: Proposal) -> String {
        let g = Numbers.grouped
        var out = ""
        let m = p.metrics
        out += "matched:   \(g(p.objective.matchedMentees)) of \(g(m.mentees)) mentees (\(percent(m.matchRate)))"
        if m.highPriorityMentees > 0 { out += ", high priority \(g(m.highPriorityMatched)) of \(g(m.highPriorityMentees))" }
        out += "\n"
        // Which stage of the objective each figure is (SPEC 9.3: the owner may order them).
        func stage(_ s: ObjectiveStage) -> String {
            guard let i = p.objectiveStages.firstIndex(of: s) else { return "" }
            return ["the first", "the second", "the third", "the fourth"][min(i, 3)] + " thing maximised"
        }
        out += "coverage:  \(g(p.objective.coverage)) (mentees matched, high-priority ones counted twice: \(stage(.coverage)))\n"
        out +=
            "fit:       \(g(p.objective.totalPoints)) points in all (\(stage(.totalPoints))), \(String(format: "%.1f", m.meanPoints)) a pair on average, the weakest pair \(p.objective.minPoints)"
            + (p.objectiveStages.contains(.minPoints) ? " (\(stage(.minPoints)))" : "") + "\n"
        out +=
            "mentors:   \(g(m.mentorsUsed)) of \(g(m.mentors)) used"
            + (p.objectiveStages.contains(.mentorsUsed) ? " (\(stage(.mentorsUsed)))" : "")
            + ", \(g(m.pairs)) of \(g(m.mentorCapacity)) places (\(percent(m.mentorUtilisation)))\n"
        if let tiers = m.tierPairs {
            out += "tiers:     " + tiers.sorted { $0.key < $1.key }.map { "\($0.key) \(g($0.value)) pairs" }.joined(separator: ", ") + "\n"
        }
        if let levels = m.levelRates {
            out +=
                "levels:    " + levels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.matched)/\($0.value.mentees)" }.joined(separator: ", ")
                + " matched\n"
        }
        if let b = m.blockingPairs {
            out += "stability: \(g(b)) blocking pair\(b == 1 ? "" : "s") (pairs who rank each other and would both rather be together)\n"
        }
        out += "solved in \(String(format: "%.2f", p.totalSeconds)) s (\(g(m.eligiblePairs)) eligible pairs)\n"

        return out
    }

    public static func table(_ p: Proposal, names: [String: String], layout: TableLayout = TableLayout()) -> String {
        func name(_ id: String) -> String {
            guard let n = names[id], !n.isEmpty, n != id else { return id }
            return "\(n) (\(id))"
        }
        let g = Numbers.grouped
        var out = ""
        out += "\(p.programName)\(p.cohort.isEmpty ? "" : " — cohort \(p.cohort)")\n"
        let statusLine: String
        switch p.status {
        case .optimal: statusLine = "optimal: proven the best cohort under every rule (\(p.engine) engine)"
        case .feasible: statusLine = "feasible: every rule is kept, but the cohort is not proven the best (see proof)"
        case .infeasible: statusLine = "infeasible: no cohort keeps every rule"
        case .timeLimit: statusLine = "stopped at the time limit: the best cohort found, not proven the best (see proof)"
        }
        out += "status:    \(statusLine)\n"
        if let note = p.proofNote { out += "proof:     \(note)\n" }
        if p.status == .infeasible {
            for c in p.conflicts { out += "  - \(c)\n" }
            return out
        }
        out += headline(p)

        let rows = p.pairs.map { pair -> [String] in
            let f = pair.factors
            return [
                name(pair.menteeID), name(pair.mentorID), "\(pair.points)",
                String(format: "%.2f", f.skills), String(format: "%.2f", f.level), String(format: "%.2f", f.timezone),
                String(format: "%.2f", f.preference), String(format: "%.2f", f.style),
                f.crossDepartment == 1 ? "yes" : "no", pair.decision?.rawValue ?? (pair.locked ? "kept" : "")
            ] + (pair.tier.map { [$0] } ?? [])
        }
        let tiers = p.pairs.contains { $0.tier != nil }
        let header =
            ["mentee", "mentor", "points", "skills", "level", "time zone", "preference", "style", "other dept", "decision"] + (tiers ? ["tier"] : [])
        var pairs = TextTable.render(header: header, rows: rows, rightAligned: [2, 3, 4, 5, 6, 7])
        if let width = layout.width, TextTable.width(pairs) > width {
            // Too wide for the terminal: the factor columns give way (JSON and `review show` keep them).
            let narrow = [0, 1, 2, 9] + (tiers ? [10] : [])
            pairs = TextTable.render(header: narrow.map { header[$0] }, rows: rows.map { r in narrow.map { r[$0] } }, rightAligned: [2])
            pairs += "(factor columns left out to fit the terminal; --format json or `mentormatch explain` shows them)\n"
        }
        out += pairs
        if !p.unmatched.isEmpty {
            out += "\nunmatched (\(g(p.unmatched.count))):\n"
            if layout.allUnmatched || p.unmatched.count <= layout.unmatchedListed {
                for u in p.unmatched { out += "  \(name(u.menteeID)): \(u.reasons.joined(separator: "; "))\n" }
            } else {
                out += unmatchedSummary(p.unmatched)
                out += "(--all lists every mentee; --format json or csv has them all)\n"
            }
        }
        return out
    }

    /// Unmatched mentees grouped by their first reason, the commonest first; a group whose
    /// reasons differ only in their numbers shows them as "…".
    static func unmatchedSummary(_ unmatched: [UnmatchedMentee]) -> String {
        var groups: [String: (count: Int, example: String, same: Bool)] = [:]
        for u in unmatched {
            let reason = u.reasons.first ?? "no reason recorded"
            let kind = reasonKind(reason)
            if let g = groups[kind] {
                groups[kind] = (g.count + 1, g.example, g.same && g.example == reason)
            } else {
                groups[kind] = (1, reason, true)
            }
        }
        let sorted = groups.sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
        let width = Numbers.grouped(sorted.first?.value.count ?? 0).count
        return sorted.map { kind, g in
            let count = Numbers.grouped(g.count)
            let label = g.same ? g.example : kind.replacingOccurrences(of: "\u{1}", with: "…")
            return "  " + String(repeating: " ", count: width - count.count) + count + "  " + label + "\n"
        }.joined()
    }

    /// A reason without its counts, so that mentees with the same reason group together
    /// ("all 7 eligible mentors are full" and "all 3 eligible mentors are full" alike).
    static func reasonKind(_ reason: String) -> String {
        var out = "", inNumber = false
        for c in reason {
            if c.isNumber {
                if !inNumber { out += "\u{1}" }
                inNumber = true
            } else {
                out.append(c)
                inNumber = false
            }
        }
        return out
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
}

extension String {
    /// The text without trailing spaces and tabs, in time linear in its length
    /// (a `\s+$` regular expression took quadratic time on a long cell).
    var withoutTrailingWhitespace: String {
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            guard self[before].isWhitespace else { break }
            end = before
        }
        return String(self[..<end])
    }
}

/// Plain monospaced tables.
public enum TextTable {
    /// The widest line of a rendered table, in characters.
    public static func width(_ table: String) -> Int {
        table.split(separator: "\n").reduce(0) { max($0, $1.count) }
    }

    public static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var width = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < width.count { width[i] = max(width[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, width[i] - c.count))
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").withoutTrailingWhitespace + "\n"
        }
        var out = line(header)
        out += line(width.map { String(repeating: "-", count: $0) })
        for r in rows { out += line(r) }
        return out
    }
}
