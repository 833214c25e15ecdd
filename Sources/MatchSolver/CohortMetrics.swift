import MatchModel

/// Aggregate figures about a cohort. Equity attributes appear only as
/// group counts and rates, never per person.
public struct CohortMetrics: Sendable, Equatable, Codable {
    public struct Rate: Sendable, Equatable, Codable {
        public var mentees: Int
        public var matched: Int
        public var rate: Double
    }

    public struct Reach: Sendable, Equatable, Codable {
        public var location: String
        public var pairs: Int
        public var outside: Int
        public var share: Double
        public var required: Double
    }

    public var mentees: Int
    public var mentors: Int
    public var eligiblePairs: Int
    public var pairs: Int
    public var matchedMentees: Int
    public var matchRate: Double
    public var highPriorityMentees: Int
    public var highPriorityMatched: Int
    public var mentorsUsed: Int
    public var mentorCapacity: Int
    public var mentorUtilisation: Double
    public var meanPoints: Double
    public var factorMeans: Factors
    public var crossDepartmentShare: Double
    /// attribute → value → rate, for each `group_access` rule.
    public var groupRates: [String: [String: Rate]]
    /// department → rate (always reported).
    public var departmentRates: [String: Rate]
    public var locationReach: Reach?
    /// Level band → rate, for `equity.level_access` (SPEC 9.7).
    public var levelRates: [String: Rate]?
    /// Tier → pairs, in a program with tiers (SPEC 9.4).
    public var tierPairs: [String: Int]?
    /// Blocking pairs (SPEC 9.5), in a program with preferences.
    public var blockingPairs: Int?

    enum CodingKeys: String, CodingKey {
        case mentees, mentors, pairs
        case eligiblePairs = "eligible_pairs"
        case matchedMentees = "matched_mentees"
        case matchRate = "match_rate"
        case highPriorityMentees = "high_priority_mentees"
        case highPriorityMatched = "high_priority_matched"
        case mentorsUsed = "mentors_used"
        case mentorCapacity = "mentor_capacity"
        case mentorUtilisation = "mentor_utilisation"
        case meanPoints = "mean_points"
        case factorMeans = "factor_means"
        case crossDepartmentShare = "cross_department_share"
        case groupRates = "group_rates"
        case departmentRates = "department_rates"
        case locationReach = "location_reach"
        case levelRates = "level_rates"
        case tierPairs = "tier_pairs"
        case blockingPairs = "blocking_pairs"
    }

    /// Figures for pairs given as (mentor slot, mentee slot).
    public init(_ instance: MatchInstance, eligiblePairs: Int, pairs: [(Int, Int)], factors: [Factors]) {
        let people = instance.people
        mentees = instance.mentees.count
        mentors = instance.mentors.count
        self.eligiblePairs = eligiblePairs
        self.pairs = pairs.count
        var matched = Set<Int>()
        var load = Array(repeating: 0, count: instance.mentors.count)
        for (m, e) in pairs {
            matched.insert(e)
            load[m] += 1
        }
        matchedMentees = matched.count
        matchRate = mentees == 0 ? 0 : Double(matched.count) / Double(mentees)
        let high = instance.mentees.indices.filter { people[instance.mentees[$0]].priority == .high }
        highPriorityMentees = high.count
        highPriorityMatched = high.filter { matched.contains($0) }.count
        mentorsUsed = load.filter { $0 > 0 }.count
        mentorCapacity = instance.capacity.reduce(0, +)
        mentorUtilisation = mentorCapacity == 0 ? 0 : Double(pairs.count) / Double(mentorCapacity)
        let n = Double(max(factors.count, 1))
        let totalPoints = pairs.reduce(0) { $0 + instance.points(mentor: $1.0, mentee: $1.1) }
        meanPoints = pairs.isEmpty ? 0 : Double(totalPoints) / Double(pairs.count)
        factorMeans = Factors(
            skills: factors.reduce(0) { $0 + $1.skills } / n,
            level: factors.reduce(0) { $0 + $1.level } / n,
            timezone: factors.reduce(0) { $0 + $1.timezone } / n,
            preference: factors.reduce(0) { $0 + $1.preference } / n,
            style: factors.reduce(0) { $0 + $1.style } / n,
            crossDepartment: factors.reduce(0) { $0 + $1.crossDepartment } / n,
            extra: instance.policy.extraFactorNames.enumerated().map { i, name in
                .init(name: name, value: factors.reduce(0) { $0 + ($1.extra.count > i ? $1.extra[i].value : 0) } / n)
            })
        crossDepartmentShare = factorMeans.crossDepartment
        func rates(_ groups: [(String, [Int])]) -> [String: Rate] {
            var out: [String: Rate] = [:]
            for (value, members) in groups {
                let a = members.filter { matched.contains($0) }.count
                out[value] = Rate(mentees: members.count, matched: a, rate: Double(a) / Double(members.count))
            }
            return out
        }
        var groupRates: [String: [String: Rate]] = [:]
        for rule in instance.policy.equity.groupAccess {
            groupRates[rule.attribute] = rates(EquityMath.groups(instance, attribute: rule.attribute))
        }
        self.groupRates = groupRates
        departmentRates = rates(EquityMath.departmentGroups(instance))
        if let reach = instance.policy.equity.locationReach {
            var all = 0, outside = 0
            for (m, e) in pairs where people[instance.mentors[m]].location == reach.location {
                all += 1
                if people[instance.mentees[e]].location != reach.location { outside += 1 }
            }
            locationReach = Reach(
                location: reach.location, pairs: all, outside: outside,
                share: all == 0 ? 0 : Double(outside) / Double(all), required: reach.minShareOutside)
        } else {
            locationReach = nil
        }
        levelRates = instance.policy.equity.levelAccess.map { rates(EquityMath.levelGroups(instance, $0)) }
        if instance.hasTiers {
            var fill: [String: Int] = Dictionary(uniqueKeysWithValues: instance.tiers.map { ($0.name ?? "", 0) })
            for (m, e) in pairs {
                if let t = instance.tier(mentor: m, mentee: e) { fill[instance.tiers[t].name ?? "", default: 0] += 1 }
            }
            tierPairs = fill
        }
        if instance.program.files?.preferences != nil || !instance.program.preferences.isEmpty {
            blockingPairs = Stability(instance).blockingPairs(pairs).count
        }
    }
}
