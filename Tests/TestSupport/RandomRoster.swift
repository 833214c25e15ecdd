import Foundation
import MatchModel

/// A small random program with a mentee attribute, departments and HQ: the store and CLI tests' roster.
package struct RandomRoster {
    package var seed: UInt64

    package init(seed: UInt64) { self.seed = seed }

    package func program() -> Program {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        var people: [Person] = []
        for i in 0..<(3 + next(3)) {
            people.append(
                Person(
                    id: "M\(i)", role: .mentor, level: 6 + next(3), department: ["A", "B"][next(2)],
                    location: ["HQ", "X"][next(2)], timeZone: .fixed(seconds: 3600 * next(4)), languages: ["en"],
                    expertise: ["s1": 1 + next(5), "s2": 1 + next(5)], capacity: 1 + next(2),
                    style: DiscStyle.allCases[next(4)]))
        }
        for i in 0..<(5 + next(5)) {
            people.append(
                Person(
                    id: "E\(i)", role: .mentee, level: 3 + next(2), department: ["A", "B", "C"][next(3)],
                    location: ["HQ", "X"][next(2)], timeZone: .fixed(seconds: 3600 * next(8)), languages: ["en"],
                    goals: ["s1": 1 + next(3), "s2": 1 + next(3)], style: DiscStyle.allCases[next(4)],
                    attributes: ["g": ["a", "b"][next(2)]], priority: next(4) == 0 ? .high : .normal))
        }
        var policy = Policy()
        if next(2) == 0 { policy.equity.groupAccess = [.init(attribute: "g", tolerance: 0.1)] }
        if next(2) == 0 { policy.equity.maxSameDepartmentPerMentor = 1 }
        if next(2) == 0 { policy.equity.locationReach = .init(location: "HQ", minShareOutside: 0.5) }
        return Program(name: "random", policy: policy, people: people)
    }
}
