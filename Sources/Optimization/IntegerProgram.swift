/// A linear integer program as a plain value: variables with bounds and
/// objective coefficients, linear constraints with bounds, a direction.
///
/// Engines read it; formulations build it. It knows nothing of mentors or of
/// any solver library.
public struct IntegerProgram: Sendable {
    /// A variable's position in ``variables``.
    public struct VariableID: Hashable, Sendable {
        public let index: Int
        public init(_ index: Int) { self.index = index }
    }

    /// A constraint's position in ``constraints``.
    public struct ConstraintID: Hashable, Sendable {
        public let index: Int
        public init(_ index: Int) { self.index = index }
    }

    public struct Variable: Sendable {
        public var name: String
        public var lowerBound: Double
        public var upperBound: Double
        public var isInteger: Bool
        public var objective: Double
    }

    /// `lowerBound ≤ Σ coefficient·variable ≤ upperBound`; an infinite bound is absent.
    public struct Constraint: Sendable {
        public var name: String
        public var terms: [(variable: Int, coefficient: Double)]
        public var lowerBound: Double
        public var upperBound: Double
    }

    public enum Direction: Sendable { case maximize, minimize }

    public var name: String
    public var direction: Direction
    public private(set) var variables: [Variable] = []
    public private(set) var constraints: [Constraint] = []
    public var objectiveConstant: Double = 0

    public init(name: String, direction: Direction = .maximize) {
        self.name = name
        self.direction = direction
    }

    /// Adds a variable; bounds must satisfy `lower ≤ upper`.
    @discardableResult
    public mutating func addVariable(
        name: String, lowerBound: Double = 0, upperBound: Double = 1,
        isInteger: Bool = true, objective: Double = 0
    ) -> VariableID {
        precondition(lowerBound <= upperBound, "variable \(name): lower bound above upper bound")
        variables.append(
            Variable(
                name: name, lowerBound: lowerBound, upperBound: upperBound,
                isInteger: isInteger, objective: objective))
        return VariableID(variables.count - 1)
    }

    /// A binary variable (0 or 1).
    @discardableResult
    public mutating func addBinary(name: String, objective: Double = 0) -> VariableID {
        addVariable(name: name, lowerBound: 0, upperBound: 1, isInteger: true, objective: objective)
    }

    /// Adds `lower ≤ Σ terms ≤ upper`. Repeated variables are merged.
    @discardableResult
    public mutating func addConstraint(
        name: String, terms: [(VariableID, Double)],
        lowerBound: Double = -.infinity, upperBound: Double = .infinity
    ) -> ConstraintID {
        var merged: [Int: Double] = [:]
        var order: [Int] = []
        for (v, c) in terms {
            precondition(v.index >= 0 && v.index < variables.count, "constraint \(name): unknown variable")
            if merged[v.index] == nil { order.append(v.index) }
            merged[v.index, default: 0] += c
        }
        let clean = order.compactMap { i -> (variable: Int, coefficient: Double)? in
            let c = merged[i]!
            return c == 0 ? nil : (i, c)
        }
        constraints.append(Constraint(name: name, terms: clean, lowerBound: lowerBound, upperBound: upperBound))
        return ConstraintID(constraints.count - 1)
    }

    public mutating func setObjective(_ variable: VariableID, _ coefficient: Double) {
        variables[variable.index].objective = coefficient
    }

    public mutating func setBounds(_ variable: VariableID, lower: Double, upper: Double) {
        precondition(lower <= upper, "variable \(variables[variable.index].name): lower bound above upper bound")
        variables[variable.index].lowerBound = lower
        variables[variable.index].upperBound = upper
    }

    /// Number of nonzero constraint coefficients.
    public var nonzeroCount: Int { constraints.reduce(0) { $0 + $1.terms.count } }

    /// The objective value of an assignment.
    public func objectiveValue(of values: [Double]) -> Double {
        var total = objectiveConstant
        for (i, v) in variables.enumerated() { total += v.objective * values[i] }
        return total
    }

    /// Whether an assignment meets every bound and constraint within `tolerance` (and, when
    /// `integral`, every integer variable is whole: without it, whether it is a point of the relaxation).
    public func isFeasible(_ values: [Double], tolerance: Double = 1e-6, integral: Bool = true) -> Bool {
        guard values.count == variables.count else { return false }
        for (i, v) in variables.enumerated() {
            if values[i] < v.lowerBound - tolerance || values[i] > v.upperBound + tolerance { return false }
            if integral && v.isInteger && abs(values[i] - values[i].rounded()) > tolerance { return false }
        }
        for c in constraints {
            var s = 0.0
            for t in c.terms { s += t.coefficient * values[t.variable] }
            if s < c.lowerBound - tolerance || s > c.upperBound + tolerance { return false }
        }
        return true
    }
}

extension IntegerProgram {
    /// Whether every solution's objective is a whole number: each variable with a nonzero
    /// coefficient is integer and every coefficient (and the constant) is whole.
    public var hasIntegralObjective: Bool {
        objectiveConstant == objectiveConstant.rounded()
            && variables.allSatisfy { v in v.objective == 0 || (v.isInteger && v.objective == v.objective.rounded()) }
    }
}
