import Foundation
import MatchModel
import MatchSolver
import ProgramGenerator

/// Small random programs touching every rule family.
package struct RandomProgram {
    package var rng: SplitMix

    package init(rng: SplitMix) { self.rng = rng }

    package mutating func make(mentorsPerMentee: Int) -> (Program, ReviewDecisions) {
        let nMentors = 1 + rng.below(4)
        let nMentees = 1 + rng.below(mentorsPerMentee == 1 ? 8 : 6)
        let zones = ["UTC", "UTC+02:00", "UTC+05:30", "UTC-05:00", "UTC+09:00"]
        let langs = [["en"], ["en", "de"], ["de"], ["ja", "en"]]
        let skills = ["s1", "s2", "s3"]
        var people: [Person] = []
        func skillMap(_ range: ClosedRange<Int>) -> [String: Int] {
            var out: [String: Int] = [:]
            for s in skills where rng.below(2) == 0 { out[s] = Int.random(in: range, using: &rng) }
            return out
        }
        for i in 0..<(nMentors + nMentees) {
            let isMentor = i < nMentors
            var role: Role = isMentor ? .mentor : .mentee
            if rng.below(10) == 0 { role = .both }
            let id = (isMentor ? "M" : "E") + String(i)
            let manager: String? = i > 0 && rng.below(4) == 0 ? people[rng.below(i)].id : nil
            people.append(
                Person(
                    id: id, role: role, level: isMentor ? 4 + rng.below(6) : 2 + rng.below(5),
                    department: ["A", "B", "C"][rng.below(3)], location: ["HQ", "X", ""][rng.below(3)],
                    timeZone: TimeZoneSpec(parsing: zones[rng.below(zones.count)])!, languages: langs[rng.below(langs.count)],
                    managerID: manager, expertise: isMentor || role == .both ? skillMap(1...5) : [:],
                    goals: isMentor ? [:] : skillMap(1...3), capacity: rng.below(3) == 0 ? rng.below(4) : nil,
                    tenureMonths: rng.below(4) == 0 ? nil : rng.below(40), rating: rng.below(3) == 0 ? nil : Double(1 + rng.below(5)),
                    style: rng.below(5) == 0 ? nil : DiscStyle.allCases[rng.below(4)],
                    attributes: rng.below(4) == 0 ? [:] : ["g": ["a", "b"][rng.below(2)]],
                    priority: rng.below(4) == 0 ? .high : .normal, optedOut: rng.below(15) == 0))
        }
        var policy = Policy()
        policy.rules.mentorsPerMentee = mentorsPerMentee
        policy.rules.maxTimezoneGapHours = [nil, 3, 6, 8][rng.below(4)]
        policy.rules.sharedLanguage = rng.below(3) != 0
        policy.rules.levelGap.min = rng.below(2)
        policy.rules.levelGap.max = 3 + rng.below(3)
        policy.rules.levelGap.ideal = 1 + rng.below(3)
        policy.rules.defaultCapacity = 1 + rng.below(2)
        if rng.below(3) == 0 { policy.rules.capacityByLevel = [6: 3] }
        if rng.below(4) == 0 { policy.rules.minTenureMonths = 10 }
        if rng.below(4) == 0 { policy.rules.minRating = 3 }
        if rng.below(2) == 0 { policy.equity.groupAccess = [.init(attribute: "g", tolerance: [0, 0.1, 0.25][rng.below(3)])] }
        if rng.below(3) == 0 { policy.equity.departmentAccessTolerance = [0, 0.2][rng.below(2)] }
        if rng.below(3) == 0 { policy.equity.maxSameDepartmentPerMentor = 1 + rng.below(2) }
        if rng.below(3) == 0 { policy.equity.locationReach = .init(location: "HQ", minShareOutside: [0.3, 0.5][rng.below(2)]) }
        policy.objective = rng.below(2) == 0 ? .coverageThenScore : .coverageThenFairness
        if rng.below(3) == 0 { policy.weights.preference = 0.4 }
        var prefs: [Preference] = []
        for _ in 0..<rng.below(6) {
            let a = people[rng.below(people.count)].id, b = people[rng.below(people.count)].id
            if a != b { prefs.append(Preference(fromID: a, toID: b, rank: 1 + rng.below(5))) }
        }
        var exclusions: [Exclusion] = []
        var history: [PastPair] = []
        if rng.below(3) == 0 { exclusions.append(Exclusion(a: people[rng.below(nMentors)].id, b: people[nMentors + rng.below(nMentees)].id)) }
        if rng.below(3) == 0 {
            history.append(PastPair(mentorID: people[rng.below(nMentors)].id, menteeID: people[nMentors + rng.below(nMentees)].id))
        }
        let program = Program(name: "random", people: people, preferences: prefs, exclusions: exclusions, history: history)
        var withPolicy = program
        withPolicy.policy = policy
        var decisions = ReviewDecisions()
        let probe = MatchInstance(program: withPolicy)
        let candidates = CandidatePairs(probe)
        if candidates.count > 0 && rng.below(4) == 0 {
            let k = rng.below(candidates.count)
            decisions.locked.insert(
                PairKey(
                    mentorID: people[probe.mentors[Int(candidates.mentor[k])]].id,
                    menteeID: people[probe.mentees[Int(candidates.mentee[k])]].id))
        }
        if candidates.count > 1 && rng.below(4) == 0 {
            let k = rng.below(candidates.count)
            let key = PairKey(
                mentorID: people[probe.mentors[Int(candidates.mentor[k])]].id,
                menteeID: people[probe.mentees[Int(candidates.mentee[k])]].id)
            if !decisions.locked.contains(key) { decisions.rejected.insert(key) }
        }
        return (withPolicy, decisions)
    }
}

/// The tests' random stream: ``SplitMix64`` with `below(n)` drawing for every `n`, 1 included (the
/// generator's skips the draw for 1), so every seed's program stays the one the tests were written on.
package struct SplitMix: RandomNumberGenerator {
    private var base: SplitMix64

    package init(state: UInt64) { base = SplitMix64(seed: state) }

    package mutating func next() -> UInt64 { base.next() }
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
