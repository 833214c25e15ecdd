import Foundation
import MatchModel
import MatchSolver

/// SPEC 9's additions, drawn at random onto a small random program: per-mentee
/// limits, a floor, criteria, external scores, tiers, stability, level access and
/// objective stage lists — alone and combined.
package struct RandomModels {
    package var rng: SplitMix

    package init(rng: SplitMix) { self.rng = rng }

    package static let objectives: [Objective] = [
        .coverageThenScore, .coverageThenFairness, Objective(stages: [.coverage, .mentorsUsed]),
        Objective(stages: [.mentorsUsed, .coverage]), Objective(stages: [.coverage, .minPoints, .mentorsUsed]),
        Objective(stages: [.minPoints, .coverage]), Objective(stages: [.coverage, .mentorsUsed, .minPoints])
    ]

    package mutating func make(seed: UInt64) -> (Program, ReviewDecisions) {
        var base = RandomProgram(rng: rng)
        var (program, decisions) = base.make(mentorsPerMentee: 1 + rng.below(2))
        var policy = program.policy
        let mentorIDs = program.people.filter { $0.role.canMentor }.map(\.id)
        let menteeIDs = program.people.filter { $0.role.canBeMentored }.map(\.id)
        // Each addition on its own in a quarter to a half of the programs.
        if rng.below(3) == 0 {
            for i in program.people.indices where rng.below(2) == 0 { program.people[i].mentorLimit = 1 + rng.below(3) }
        }
        if rng.below(3) == 0 { policy.rules.minPairPoints = [150, 300, 400][rng.below(3)] }
        if rng.below(3) == 0 {
            policy.criteria = [
                Criterion(name: "interests", column: "Interests", kind: .overlap, weight: [0.1, 0.4][rng.below(2)]),
                Criterion(name: "track", column: "track", kind: rng.below(2) == 0 ? .same : .different, weight: 0.05)
            ]
            let items = ["chess", "Go", "hiking", " go "]
            for i in program.people.indices {
                let chosen = items.filter { _ in rng.below(2) == 0 }
                if !chosen.isEmpty { program.people[i].criteriaCells["interests"] = chosen.joined(separator: ";") }
                let track = ["ic", "IC", "manager", ""][rng.below(4)]
                if !track.isEmpty { program.people[i].criteriaCells["track"] = track }
            }
        }
        if rng.below(3) == 0 {
            policy.externalScores = ExternalScores(weight: 0.3, missing: [0, 0.5][rng.below(2)])
            for m in mentorIDs {
                for e in menteeIDs where rng.below(3) == 0 {
                    program.scores[PairKey(mentorID: m, menteeID: e)] = [0, 0.25, 0.7, 1][rng.below(4)]
                }
            }
        }
        if rng.below(3) == 0 {
            policy.tiers = [
                Tier(name: "peer", levelGapMin: 0, levelGapMax: 1, levelGapIdeal: 0),
                Tier(name: "senior", levelGapMin: 2, levelGapMax: 5, minTenureMonths: rng.below(2) == 0 ? 12 : nil)
            ]
        }
        if rng.below(3) == 0 {
            policy.rules.stable = true
            // Ranks both ways, so blocking pairs exist to forbid.
            for e in menteeIDs {
                for (r, m) in mentorIDs.shuffled(using: &rng).prefix(1 + rng.below(3)).enumerated() {
                    program.preferences.append(Preference(fromID: e, toID: m, rank: r + 1))
                }
            }
            for m in mentorIDs {
                for (r, e) in menteeIDs.shuffled(using: &rng).prefix(1 + rng.below(4)).enumerated() {
                    program.preferences.append(Preference(fromID: m, toID: e, rank: r + 1 + rng.below(2)))
                }
            }
        }
        if rng.below(4) == 0 { policy.equity.levelAccess = .init(tolerance: [0, 0.2][rng.below(2)], bands: [1...3, 4...6]) }
        policy.objective = Self.objectives[rng.below(Self.objectives.count)]
        program.policy = policy
        // Locks and rejections drawn by the base program may now name ineligible pairs: that is a case too.
        if rng.below(2) == 0 { decisions.locked = [] }
        return (program, decisions)
    }
}
