/// The program's policy: weights, rules, equity side constraints, objective
/// and solver settings (SPEC 1.3). Every field has the spec's default.
public struct Policy: Sendable, Equatable {
    public var weights = Weights()
    public var rules = Rules()
    public var equity = Equity()
    public var objective: Objective = .coverageThenScore
    public var solver = SolverSettings()
    /// Mentorship tiers (SPEC 9.4); empty: one tier, the program's rules.
    public var tiers: [Tier] = []
    /// Owner-defined factors after the six of SPEC 3 (SPEC 9.6), in order.
    public var criteria: [Criterion] = []
    /// The external scores factor's weight and default (SPEC 9.6); `nil`: no scores file.
    public var externalScores: ExternalScores?

    public init() {}

    /// The tiers a pair can fall in: the program's tiers resolved against its rules,
    /// or one unnamed tier that is the rules themselves.
    public var resolvedTiers: [ResolvedTier] {
        guard !tiers.isEmpty else {
            return [ResolvedTier(name: nil, levelGap: rules.levelGap, minTenureMonths: rules.minTenureMonths, minRating: rules.minRating)]
        }
        return tiers.map {
            ResolvedTier(
                name: $0.name, levelGap: $0.levelGap(rules), minTenureMonths: $0.minTenureMonths ?? rules.minTenureMonths,
                minRating: $0.minRating ?? rules.minRating)
        }
    }
}

/// A mentorship tier (SPEC 9.4): each mentee gets at most one mentor per tier. Keys a tier
/// does not give come from the program's rules.
public struct Tier: Sendable, Equatable {
    public var name: String
    public var levelGapMin: Int?
    public var levelGapMax: Int?
    public var levelGapIdeal: Int?
    public var minTenureMonths: Int?
    public var minRating: Double?

    public init(
        name: String, levelGapMin: Int? = nil, levelGapMax: Int? = nil, levelGapIdeal: Int? = nil,
        minTenureMonths: Int? = nil, minRating: Double? = nil
    ) {
        self.name = name
        self.levelGapMin = levelGapMin
        self.levelGapMax = levelGapMax
        self.levelGapIdeal = levelGapIdeal
        self.minTenureMonths = minTenureMonths
        self.minRating = minRating
    }

    /// The tier's level gap, the program's for the keys it leaves out.
    public func levelGap(_ rules: Rules) -> LevelGap {
        var g = rules.levelGap
        g.min = levelGapMin ?? g.min
        g.max = levelGapMax ?? g.max
        g.ideal = levelGapIdeal ?? g.ideal
        return g
    }
}

/// A tier with every key settled: what eligibility and the level factor read.
public struct ResolvedTier: Sendable, Equatable {
    /// `nil` for a program without tiers.
    public var name: String?
    public var levelGap: LevelGap
    public var minTenureMonths: Int
    public var minRating: Double

    /// Whether `person` meets this tier's mentor eligibility (a blank fails a non-zero minimum).
    public func admitsMentor(_ person: Person) -> Bool {
        if minTenureMonths > 0 && (person.tenureMonths ?? -1) < minTenureMonths { return false }
        if minRating > 0 && (person.rating ?? -1) < minRating { return false }
        return true
    }
}

/// An owner-defined factor compared between the two roster cells of a column (SPEC 9.6).
public struct Criterion: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// |A ∩ B| / |A ∪ B| over the cells' `;`-lists.
        case overlap
        /// 1 when both cells are non-empty and equal.
        case same
        /// 1 when both cells are non-empty and not equal.
        case different
    }

    public var name: String
    /// The roster column, lower-cased.
    public var column: String
    public var kind: Kind
    public var weight: Double

    public init(name: String, column: String, kind: Kind, weight: Double) {
        self.name = name
        self.column = column.lowercased()
        self.kind = kind
        self.weight = weight
    }
}

/// The external factor: a pair's score from the scores file, or `missing` (SPEC 9.6).
public struct ExternalScores: Sendable, Equatable {
    public var weight: Double
    public var missing: Double

    public init(weight: Double, missing: Double = 0) {
        self.weight = weight
        self.missing = missing
    }
}

/// Factor weights; they need not sum to 1.
public struct Weights: Sendable, Equatable {
    public var skills = 0.50
    public var level = 0.15
    public var timezone = 0.10
    public var preference = 0.15
    public var style = 0.05
    public var crossDepartment = 0.05

    public init() {}
}

/// The allowed range of `mentor.level − mentee.level`, and the ideal gap.
public struct LevelGap: Sendable, Equatable {
    public var min = 1
    public var max = 4
    public var ideal = 2

    public init() {}
}

/// Hard rules that decide eligibility and capacity.
public struct Rules: Sendable, Equatable {
    public var mentorsPerMentee = 1
    /// `nil`: no limit.
    public var maxTimezoneGapHours: Double? = 6
    public var sharedLanguage = true
    public var levelGap = LevelGap()
    public var defaultCapacity = 2
    /// Exact mentor level → capacity.
    public var capacityByLevel: [Int: Int] = [:]
    public var excludeManagementChain = true
    public var noRepeatPairs = true
    public var minTenureMonths = 0
    public var minRating = 0.0
    /// Pairs with fewer points are not eligible (SPEC 9.2).
    public var minPairPoints = 0
    /// No blocking pair may remain (SPEC 9.5).
    public var stable = false

    public init() {}

    /// A mentor's capacity: the roster cell, else `capacity_by_level`, else `default_capacity`.
    public func capacity(of mentor: Person) -> Int {
        mentor.capacity ?? capacityByLevel[mentor.level] ?? defaultCapacity
    }
}

/// Equity side constraints (all optional).
public struct Equity: Sendable, Equatable {
    /// Each value of the attribute: match rate ≥ overall rate − tolerance.
    public struct GroupAccess: Sendable, Equatable {
        public var attribute: String
        public var tolerance: Double
        public init(attribute: String, tolerance: Double = 0) {
            self.attribute = attribute
            self.tolerance = tolerance
        }
    }

    /// Of all pairs whose mentor is at `location`, at least `minShareOutside` have a mentee elsewhere.
    public struct LocationReach: Sendable, Equatable {
        public var location: String
        public var minShareOutside: Double
        public init(location: String, minShareOutside: Double) {
            self.location = location
            self.minShareOutside = minShareOutside
        }
    }

    public var groupAccess: [GroupAccess] = []
    /// Tolerance for per-department match rates; `nil`: rule off.
    public var departmentAccessTolerance: Double?
    /// Cap on a mentor's mentees from any one department; `nil`: rule off.
    public var maxSameDepartmentPerMentor: Int?
    public var locationReach: LocationReach?

    /// Each level band's match rate ≥ overall rate − tolerance (SPEC 9.7).
    public struct LevelAccess: Sendable, Equatable {
        public var tolerance: Double
        /// Disjoint, inclusive level ranges.
        public var bands: [ClosedRange<Int>]
        public init(tolerance: Double, bands: [ClosedRange<Int>]) {
            self.tolerance = tolerance
            self.bands = bands
        }
    }

    public var levelAccess: LevelAccess?

    public init() {}

    public var isEmpty: Bool {
        groupAccess.isEmpty && departmentAccessTolerance == nil && maxSameDepartmentPerMentor == nil && locationReach == nil
            && levelAccess == nil
    }
}

/// One stage of the lexicographic objective (SPEC 9.3).
public enum ObjectiveStage: String, Sendable, CaseIterable {
    /// Σ over matched mentees of their coverage weight.
    case coverage
    /// Mentors with at least one mentee.
    case mentorsUsed = "mentors_used"
    /// The smallest points of any chosen pair (0 for an empty cohort).
    case minPoints = "min_points"
    /// Σ points of the chosen pairs.
    case totalPoints = "total_points"
}

/// The lexicographic objective (SPEC 4 and 9.3): distinct stages maximised in
/// order, always ending with total points.
public struct Objective: Sendable, Hashable, CustomStringConvertible {
    public let stages: [ObjectiveStage]

    /// `stages` in order, `total_points` appended when not listed.
    public init(stages: [ObjectiveStage]) {
        self.stages = stages.contains(.totalPoints) ? stages : stages + [.totalPoints]
    }

    /// Coverage, then total points.
    public static let coverageThenScore = Objective(stages: [.coverage, .totalPoints])
    /// Coverage, then the minimum points of any pair, then total points.
    public static let coverageThenFairness = Objective(stages: [.coverage, .minPoints, .totalPoints])

    /// The objectives that have a name in the program file.
    public static let named: [(name: String, objective: Objective)] = [
        ("coverage_then_score", .coverageThenScore), ("coverage_then_fairness", .coverageThenFairness)
    ]

    /// The program file's name for this objective, when it has one.
    public var name: String? { Self.named.first { $0.objective == self }?.name }

    public var description: String { name ?? "[" + stages.map(\.rawValue).joined(separator: ", ") + "]" }
}

/// Solver limits.
public struct SolverSettings: Sendable, Equatable {
    public var timeLimitSeconds: Double = 60
    public var mipGap: Double = 0

    public init() {}
}
