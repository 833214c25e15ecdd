import Foundation
import MatchModel
import MatchSolver

/// The `compare` use case: solves a base program and its variants and lines
/// up their figures; optionally prices every active rule (the base without it).
public struct Compare: Sendable {
    public var propose = Propose()
    public var priceRules = false
    public var progress: (@Sendable (String) -> Void)?

    public init() {}

    /// One solved (or failed) variant.
    public struct Column: Sendable {
        public var name: String
        /// The overrides that define it, as written.
        public var changes: [String]
        public var proposal: Proposal?
        /// Why there is no proposal (an input error in the variant).
        public var error: String?
        /// Pairs not in the base, and base pairs it dropped.
        public var added: [PairKey] = []
        public var removed: [PairKey] = []
    }

    public struct Result: Sendable {
        public var columns: [Column]
        /// The roster's names by id (for people-facing lists of changes).
        public var names: [String: String] = [:]
        /// With ``Compare/priceRules``: one column per active rule, the base without it.
        public var prices: [Column]
    }

    public func run(basePath: String, variants: [WhatIfFile.Variant], common: [ProgramOverride] = []) throws -> Result {
        // The base must load: its errors are the user's to fix first.
        let base = try ProgramLoader.load(path: basePath, overrides: common)
        var columns = [solve("base", changes: common.map(\.display), program: base.program)]
        for v in variants {
            do {
                let loaded = try ProgramLoader.load(path: basePath, overrides: common + v.overrides)
                columns.append(solve(v.name, changes: v.overrides.map(\.display), program: loaded.program))
            } catch let e as InputError {
                columns.append(Column(name: v.name, changes: v.overrides.map(\.display), proposal: nil, error: e.description))
            }
        }
        var prices: [Column] = []
        if priceRules {
            for (name, overrides) in Self.ruleRemovals(base.program) {
                do {
                    let loaded = try ProgramLoader.load(path: basePath, overrides: common + overrides)
                    prices.append(solve(name, changes: overrides.map(\.description), program: loaded.program))
                } catch let e as InputError {
                    prices.append(Column(name: name, changes: [], proposal: nil, error: e.description))
                }
            }
        }
        let basePairs = Set(columns[0].proposal?.pairs.map { PairKey(mentorID: $0.mentorID, menteeID: $0.menteeID) } ?? [])
        for i in columns.indices { diff(&columns[i], basePairs) }
        for i in prices.indices { diff(&prices[i], basePairs) }
        var result = Result(columns: columns, prices: prices)
        result.names = Dictionary(base.program.people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return result
    }

    private func diff(_ c: inout Column, _ base: Set<PairKey>) {
        guard let p = c.proposal else { return }
        let mine = Set(p.pairs.map { PairKey(mentorID: $0.mentorID, menteeID: $0.menteeID) })
        c.added = mine.subtracting(base).sorted()
        c.removed = base.subtracting(mine).sorted()
    }

    private func solve(_ name: String, changes: [String], program: Program) -> Column {
        progress?("solving \(name)")
        do {
            let r = try propose.run(program: program)
            return Column(name: name, changes: changes, proposal: r.proposal, error: nil)
        } catch {
            return Column(name: name, changes: changes, proposal: nil, error: "\(error)")
        }
    }

    /// For every rule family active in the program, the overrides that remove it.
    public static func ruleRemovals(_ program: Program) -> [(String, [ProgramOverride])] {
        let r = program.policy.rules, e = program.policy.equity
        var out: [(String, [String])] = []
        if r.sharedLanguage { out.append(("without shared_language", ["rules.shared_language=false"])) }
        if let g = r.maxTimezoneGapHours {
            out.append(("without max_timezone_gap_hours (\(g.formatted()) h)", ["rules.max_timezone_gap_hours=null"]))
        }
        // With tiers, each tier's level gap decides (and they must not overlap): the program's does not.
        if program.policy.tiers.isEmpty { out.append(("without level_gap limits", ["rules.level_gap={min: -14, max: 14}"])) }
        if r.excludeManagementChain { out.append(("without exclude_management_chain", ["rules.exclude_management_chain=false"])) }
        if r.noRepeatPairs && !program.history.isEmpty { out.append(("without no_repeat_pairs", ["rules.no_repeat_pairs=false"])) }
        if r.minTenureMonths > 0 || r.minRating > 0 {
            out.append(("without mentor_eligibility", ["rules.mentor_eligibility={min_tenure_months: 0, min_rating: 0}"]))
        }
        if !e.groupAccess.isEmpty { out.append(("without group_access", ["equity.group_access=null"])) }
        if e.departmentAccessTolerance != nil { out.append(("without department_access", ["equity.department_access=null"])) }
        if e.maxSameDepartmentPerMentor != nil {
            out.append(("without max_same_department_per_mentor", ["equity.max_same_department_per_mentor=null"]))
        }
        if e.locationReach != nil { out.append(("without location_reach", ["equity.location_reach=null"])) }
        if e.levelAccess != nil { out.append(("without level_access", ["equity.level_access=null"])) }
        if r.minPairPoints > 0 { out.append(("without min_pair_points (\(r.minPairPoints))", ["rules.min_pair_points=0"])) }
        if r.stable { out.append(("without stable", ["rules.stable=false"])) }
        if !program.policy.tiers.isEmpty { out.append(("without tiers", ["tiers=null"])) }
        if program.policy.objective.stages.contains(.mentorsUsed) {
            out.append(
                (
                    "without the mentors_used stage",
                    ["objective=[" + program.policy.objective.stages.filter { $0 != .mentorsUsed }.map(\.rawValue).joined(separator: ", ") + "]"]
                ))
        }
        return out.map { ($0.0, $0.1.compactMap { try? ProgramOverride(parsing: $0) }) }
    }
}
