/// Whether a person mentors, is mentored, or both.
public enum Role: String, Sendable, CaseIterable {
    case mentor, mentee, both

    public var canMentor: Bool { self != .mentee }
    public var canBeMentored: Bool { self != .mentor }
}

/// A DiSC working style.
public enum DiscStyle: String, Sendable, CaseIterable {
    case d = "D", i = "I", s = "S", c = "C"

    /// Position on the circle D–I–S–C–D.
    public var position: Int {
        switch self {
        case .d: 0
        case .i: 1
        case .s: 2
        case .c: 3
        }
    }
}

/// A mentee's priority for coverage: a high-priority mentee counts twice.
public enum MenteePriority: String, Sendable {
    case high, normal

    /// Coverage weight (SPEC 4).
    public var coverageWeight: Int { self == .high ? 2 : 1 }
}

/// One row of the roster.
public struct Person: Sendable, Hashable {
    public var id: String
    public var name: String
    public var role: Role
    /// Seniority band, 1–15.
    public var level: Int
    public var department: String
    /// Site, e.g. `HQ`; empty when not given.
    public var location: String
    public var timeZone: TimeZoneSpec
    /// Lower-cased language codes.
    public var languages: [String]
    public var managerID: String?
    /// Mentor skills: normalised skill name → proficiency 1–5.
    public var expertise: [String: Int]
    /// Mentee development needs: normalised skill name → priority 1–3.
    public var goals: [String: Int]
    /// Maximum mentees; `nil` means the policy decides.
    public var capacity: Int?
    public var tenureMonths: Int?
    public var rating: Double?
    public var style: DiscStyle?
    /// Equity attributes (sensitive; used in aggregate only).
    public var attributes: [String: String]
    public var priority: MenteePriority
    public var optedOut: Bool
    /// The roster line this person came from.
    public var line: Int
    /// The mentee's own limit on mentors (SPEC 9.1); `nil`: the program's `mentors_per_mentee`.
    public var mentorLimit: Int? = nil
    /// Cells of the roster columns the program's criteria name (SPEC 9.6), by lower-cased column.
    public var criteriaCells: [String: String] = [:]

    public init(
        id: String, name: String = "", role: Role, level: Int, department: String,
        location: String = "", timeZone: TimeZoneSpec = .fixed(seconds: 0), languages: [String] = ["en"],
        managerID: String? = nil, expertise: [String: Int] = [:], goals: [String: Int] = [:],
        capacity: Int? = nil, tenureMonths: Int? = nil, rating: Double? = nil,
        style: DiscStyle? = nil, attributes: [String: String] = [:],
        priority: MenteePriority = .normal, optedOut: Bool = false, line: Int = 0
    ) {
        self.id = id
        self.name = name
        self.role = role
        self.level = level
        self.department = department
        self.location = location
        self.timeZone = timeZone
        self.languages = languages
        self.managerID = managerID
        self.expertise = expertise
        self.goals = goals
        self.capacity = capacity
        self.tenureMonths = tenureMonths
        self.rating = rating
        self.style = style
        self.attributes = attributes
        self.priority = priority
        self.optedOut = optedOut
        self.line = line
    }

    /// Display name, falling back to the id.
    public var displayName: String { name.isEmpty ? id : name }
}

/// Skill names are compared after normalising: trimmed, lower-cased, each
/// inner space a `-` (SPEC 1.1).
public enum SkillName {
    public static func normalize(_ raw: String) -> String {
        // Already lower-case ASCII without blanks (nearly every name in an HR export): as it is,
        // after one pass over the bytes (a roster of 123 k people has half a million skill names).
        if raw.utf8.allSatisfy({ $0 > 32 && $0 < 127 && !(65...90).contains($0) }) { return raw }
        let lowered = raw.trimmedWhitespace.lowercased()
        return lowered.utf8.contains(32) ? lowered.replacingOccurrences(of: " ", with: "-") : lowered
    }
}
