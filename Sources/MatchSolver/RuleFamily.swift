import MatchModel

/// A family of constraints that can be switched off as a whole — to name the
/// rules that conflict when a program is infeasible, and to price a rule.
public enum RuleFamily: Hashable, Sendable, CustomStringConvertible {
    case lockedPairs
    case mentorCapacity
    case mentorsPerMentee
    case groupAccess(attribute: String)
    case departmentAccess
    case maxSameDepartmentPerMentor
    case locationReach
    case levelAccess
    case stability

    public var description: String {
        switch self {
        case .lockedPairs: "locked pairs"
        case .mentorCapacity: "mentor capacity"
        case .mentorsPerMentee: "rules.mentors_per_mentee (or the mentors column, or tiers)"
        case .groupAccess(let a): "equity.group_access (\(a))"
        case .departmentAccess: "equity.department_access"
        case .maxSameDepartmentPerMentor: "equity.max_same_department_per_mentor"
        case .locationReach: "equity.location_reach"
        case .levelAccess: "equity.level_access"
        case .stability: "rules.stable"
        }
    }

    /// Every family active in a policy, given whether any pair is locked.
    public static func active(in policy: Policy, hasLocks: Bool) -> [RuleFamily] {
        var out: [RuleFamily] = []
        if hasLocks { out.append(.lockedPairs) }
        out.append(.mentorCapacity)
        out.append(.mentorsPerMentee)
        for g in policy.equity.groupAccess { out.append(.groupAccess(attribute: g.attribute)) }
        if policy.equity.departmentAccessTolerance != nil { out.append(.departmentAccess) }
        if policy.equity.maxSameDepartmentPerMentor != nil { out.append(.maxSameDepartmentPerMentor) }
        if policy.equity.locationReach != nil { out.append(.locationReach) }
        if policy.equity.levelAccess != nil { out.append(.levelAccess) }
        if policy.rules.stable { out.append(.stability) }
        return out
    }
}
