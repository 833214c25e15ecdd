/// The program's policy: weights, rules, equity side constraints, objective
/// and solver settings (SPEC 1.3). Every field has the spec's default.
public struct Policy: Sendable, Equatable {
    public var weights = Weights()
    public var rules = Rules()
    public var equity = Equity()
    public var objective: Objective = .coverageThenScore
    public var solver = SolverSettings()

    public init() {}
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

    public init() {}

    public var isEmpty: Bool {
        groupAccess.isEmpty && departmentAccessTolerance == nil && maxSameDepartmentPerMentor == nil && locationReach == nil
    }
}

/// The lexicographic objective (SPEC 4).
public enum Objective: String, Sendable, CaseIterable {
    /// Coverage, then total points.
    case coverageThenScore = "coverage_then_score"
    /// Coverage, then the minimum points of any pair, then total points.
    case coverageThenFairness = "coverage_then_fairness"
}

/// Solver limits.
public struct SolverSettings: Sendable, Equatable {
    public var timeLimitSeconds: Double = 60
    public var mipGap: Double = 0

    public init() {}
}
