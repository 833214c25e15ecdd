import Foundation
import MatchModel
import MatchSolver

package func person(
    _ id: String, _ role: Role, level: Int, dept: String = "A", location: String = "HQ",
    tz: String = "UTC", languages: [String] = ["en"], manager: String? = nil,
    expertise: [String: Int] = [:], goals: [String: Int] = [:], capacity: Int? = nil,
    tenure: Int? = nil, rating: Double? = nil, style: DiscStyle? = nil,
    attributes: [String: String] = [:], priority: MenteePriority = .normal, optedOut: Bool = false
) -> Person {
    Person(
        id: id, name: id, role: role, level: level, department: dept, location: location,
        timeZone: TimeZoneSpec(parsing: tz)!, languages: languages, managerID: manager,
        expertise: expertise, goals: goals, capacity: capacity, tenureMonths: tenure, rating: rating,
        style: style, attributes: attributes, priority: priority, optedOut: optedOut)
}

extension MatchInstance {
    package func mentorSlot(_ id: String) -> Int { mentorSlot[indexOfID[id]!]! }
    package func menteeSlot(_ id: String) -> Int { menteeSlot[indexOfID[id]!]! }
    package func factors(_ mentor: String, _ mentee: String) -> Factors { factors(mentor: mentorSlot(mentor), mentee: menteeSlot(mentee)) }
    package func points(_ mentor: String, _ mentee: String) -> Int { points(mentor: mentorSlot(mentor), mentee: menteeSlot(mentee)) }
    package func why(_ mentor: String, _ mentee: String) -> Ineligibility? { ineligibility(mentor: mentorSlot(mentor), mentee: menteeSlot(mentee)) }
}
