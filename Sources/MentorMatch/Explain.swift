import Foundation
import MatchModel
import MatchSolver
import MatchStore

/// The `explain` use case: solve (like `propose`), then explain one mentee —
/// or one pair — in full.
public struct Explain: Sendable {
    public var propose = Propose()

    public init() {}

    public struct Result: Sendable {
        public var proposal: Proposal
        public var mentee: MenteeExplanation
        /// With a mentor given: that pair's factors, points and eligibility.
        public var pair: PairExplanation?
        /// The program's policy: the weights of every factor, the floor, the tiers.
        public var policy: Policy
        /// With `rules.stable`: what stability decided for this mentee, in a sentence.
        public var stability: String? = nil
        public var names: [String: String]

        /// "Ann Lee (M12)", or the id alone when the roster gives no other name.
        public func who(_ id: String) -> String { (names[id].map { $0.isEmpty || $0 == id ? id : "\($0) (\(id))" }) ?? id }
    }

    /// A pair's points by factor and weight, and whether it may be matched at all.
    public struct PairExplanation: Sendable {
        public var mentorID: String
        public var menteeID: String
        public var factors: Factors
        public var points: Int
        public var excludedBy: [Ineligibility]
        public var inCohort: Bool
    }

    /// - Parameter stored: explain this proposal from the store (its pairs) instead of solving afresh.
    public func run(
        programPath: String, menteeID: String, mentorID: String?, overrides: [ProgramOverride] = [],
        stored: (review: Review, proposalID: Int64?)? = nil
    ) throws -> Result {
        let loaded = try ProgramLoader.load(path: programPath, overrides: overrides)
        let program = loaded.program
        // A stored proposal is explained under the decisions in force in its cycle.
        var storedProposal: StoredProposal?
        var decisions = propose.decisions
        if let stored {
            let store = try stored.review.open()
            guard let p = try store.proposal(stored.proposalID) else {
                throw InputError(SourceLocation(file: stored.review.storePath), "there is no proposal \(stored.proposalID.map(String.init) ?? "yet")")
            }
            let binding = try store.binding(cycle: p.cohort)
            decisions = ReviewDecisions(locked: binding.locked.union(binding.accepted), rejected: binding.rejected)
            storedProposal = p
        }
        let instance = MatchInstance(program: program, decisions: decisions)
        guard let pi = instance.indexOfID[menteeID] else {
            throw InputError(
                SourceLocation(file: programPath),
                "'\(menteeID)' is not in the roster"
                    + DidYouMean.phrase(for: menteeID, in: Array(instance.indexOfID.keys).sorted().prefix(2000).map { $0 }))
        }
        guard let es = instance.menteeSlot[pi] else {
            throw InputError(
                SourceLocation(file: programPath),
                "'\(menteeID)' is not an active mentee (role \(program.people[pi].role.rawValue)\(program.people[pi].optedOut ? ", opted out" : ""))")
        }
        let slot: [String: Int] = Dictionary(uniqueKeysWithValues: instance.mentors.enumerated().map { (program.people[$1].id, $0) })
        func slots(_ keys: [(String, String)]) -> [(Int, Int)] {
            keys.compactMap { k -> (Int, Int)? in
                guard let m = slot[k.0], let e = instance.indexOfID[k.1].flatMap({ instance.menteeSlot[$0] }) else { return nil }
                return (m, e)
            }
        }
        var proposal: Proposal
        let pairs: [(Int, Int)]
        if let p = storedProposal {
            pairs = slots(p.pairs.map { ($0.mentorID, $0.menteeID) })
            // The stored cohort, re-scored against today's roster.
            var outcome = SolveOutcome(
                status: ProposalStatus(rawValue: p.status) ?? .feasible, pairs: pairs.map { ($0.0, $0.1) },
                eligiblePairs: 0, objective: CohortCheck.objective(instance, pairs: pairs), stages: [],
                conflicts: [], proof: nil, finalModel: nil, seconds: 0)
            outcome.scanSeconds = nil
            let index = PairScanner(instance)
            proposal = Proposal(
                instance: instance, outcome: outcome, engine: p.engine, totalSeconds: 0,
                eligibleMentors: { index.eligibleMentors(of: $0) })
        } else {
            proposal = try propose.run(program: program).proposal
            pairs = slots(proposal.pairs.map { ($0.mentorID, $0.menteeID) })
        }
        let index = PairScanner(instance)
        let eligible = index.eligibleMentors(of: es)
        let reasons = proposal.unmatched.first { $0.menteeID == menteeID }?.reasons ?? []
        let explanation = MenteeExplanation(
            instance: instance, mentee: es, pairs: pairs, eligibleMentors: eligible,
            unmatchedReasons: reasons, proven: proposal.status == .optimal)
        var pair: PairExplanation?
        if let mentorID {
            guard let mi = instance.indexOfID[mentorID], let ms = instance.mentorSlot[mi] else {
                throw InputError(SourceLocation(file: programPath), "'\(mentorID)' is not an active mentor in the roster")
            }
            let f = instance.factors(mentor: ms, mentee: es)
            pair = PairExplanation(
                mentorID: mentorID, menteeID: menteeID, factors: f, points: f.points(program.policy),
                excludedBy: instance.allIneligibilities(mentor: ms, mentee: es),
                inCohort: pairs.contains { $0 == (ms, es) })
        }
        let names = Dictionary(program.people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var result = Result(proposal: proposal, mentee: explanation, pair: pair, policy: program.policy, names: names)
        if program.policy.rules.stable { result.stability = Self.stability(instance, mentee: es, pairs: pairs, names: names) }
        return result
    }

    /// The mentors the mentee ranks above every mentor they got (or any, when unmatched): under
    /// `rules.stable` each is full with mentees they rank at least as high, or the pair would block.
    static func stability(_ instance: MatchInstance, mentee es: Int, pairs: [(Int, Int)], names: [String: String]) -> String {
        let stable = Stability(instance)
        let mine = pairs.filter { $0.1 == es }.map(\.0)
        let worst = mine.map { stable.menteeRank(es, of: $0) ?? Int.max }.max() ?? Int.max
        let preferred = stable.rankedPairs.filter { $0.mentee == es && $0.menteeRank < worst && !mine.contains($0.mentor) }
        guard !preferred.isEmpty else { return "rules.stable: no mentor they rank higher could take them; no pair of theirs blocks" }
        let who = preferred.prefix(5).map { p -> String in
            let id = instance.people[instance.mentors[p.mentor]].id
            return (names[id].map { $0.isEmpty ? id : "\($0) (\(id))" } ?? id) + " (their rank \(p.menteeRank))"
        }
        return "rules.stable: \(preferred.count) mentor\(preferred.count == 1 ? "" : "s") they rank higher "
            + (preferred.count == 1 ? "is" : "are") + " full with mentees ranked at least as high: " + who.joined(separator: ", ")
    }

    /// The explanation for people.
    public static func render(_ r: Result) -> String {
        let name = r.who
        let w = r.policy.weights
        func breakdown(_ f: Factors, _ points: Int) -> String {
            let rows: [[String]] = [
                ["skills", String(format: "%.3f", f.skills), String(format: "%.2f", w.skills), String(format: "%.4f", w.skills * f.skills)],
                ["level", String(format: "%.3f", f.level), String(format: "%.2f", w.level), String(format: "%.4f", w.level * f.level)],
                ["timezone", String(format: "%.3f", f.timezone), String(format: "%.2f", w.timezone), String(format: "%.4f", w.timezone * f.timezone)],
                [
                    "preference", String(format: "%.3f", f.preference), String(format: "%.2f", w.preference),
                    String(format: "%.4f", w.preference * f.preference)
                ],
                ["style", String(format: "%.3f", f.style), String(format: "%.2f", w.style), String(format: "%.4f", w.style * f.style)],
                [
                    "cross_department", String(format: "%.3f", f.crossDepartment), String(format: "%.2f", w.crossDepartment),
                    String(format: "%.4f", w.crossDepartment * f.crossDepartment)
                ]
            ]
            let extraRows = zip(f.extra, r.policy.extraFactorWeights).map { factor, weight in
                [factor.name, String(format: "%.3f", factor.value), String(format: "%.2f", weight), String(format: "%.4f", weight * factor.value)]
            }
            return TextTable.render(header: ["factor", "value", "weight", "contribution"], rows: rows + extraRows, rightAligned: [1, 2, 3])
                + "points = ⌊1000 × \(String(format: "%.4f", f.score(r.policy))) + 0.5⌋ = \(points)\n"
                + (r.policy.rules.minPairPoints > 0
                    ? "rules.min_pair_points \(r.policy.rules.minPairPoints): \(points >= r.policy.rules.minPairPoints ? "at or above the floor" : "below the floor, so not eligible")\n"
                    : "")
        }
        var out = "\(name(r.mentee.menteeID)) — cohort status \(r.proposal.status.rawValue)\n\n"
        if let p = r.pair {
            out += "pair \(name(p.mentorID)) → \(name(p.menteeID)): \(p.inCohort ? "in the cohort" : "not in the cohort")\n"
            if p.excludedBy.isEmpty {
                out += "eligible\n"
            } else {
                out += "not eligible: they " + p.excludedBy.map(\.phrase).joined(separator: "; they ") + "\n"
            }
            out += breakdown(p.factors, p.points) + "\n"
        }
        if r.mentee.chosen.isEmpty {
            out += "not matched: " + r.mentee.unmatchedReasons.joined(separator: "; ") + "\n"
            if !r.mentee.relaxations.isEmpty {
                out += "smallest changes that would admit mentors:\n"
                for x in r.mentee.relaxations { out += "  - \(x.change) would admit \(x.admits) mentor\(x.admits == 1 ? "" : "s")\n" }
            }
        }
        for c in r.mentee.chosen where r.pair?.mentorID != c.mentorID {
            let tier = r.proposal.pairs.first { $0.mentorID == c.mentorID && $0.menteeID == r.mentee.menteeID }?.tier
            out += "matched with \(name(c.mentorID))\(tier.map { " (tier \($0))" } ?? ""):\n" + breakdown(c.factors, c.points) + "\n"
        }
        if let stability = r.stability { out += stability + "\n" }
        if !r.mentee.alternatives.isEmpty {
            out += "next-best eligible mentors and why not:\n"
            out += TextTable.render(
                header: ["mentor", "points", "why not"],
                rows: r.mentee.alternatives.map { [name($0.mentorID), "\($0.points)", $0.reason] }, rightAligned: [1])
        }
        if !r.mentee.ineligible.isEmpty {
            out += "\nineligible mentors by the rule that excludes them:\n"
            for (rule, ids) in r.mentee.ineligible {
                let shown = ids.prefix(12).map(name).joined(separator: ", ")
                out += "  \(ids.count) \(rule.phrase): \(shown)\(ids.count > 12 ? ", … (\(ids.count - 12) more)" : "")\n"
            }
        }
        return out
    }
}
