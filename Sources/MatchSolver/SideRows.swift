import MatchModel

/// One rule the network cannot express — a group's or department's access,
/// or location reach — as an integer row over a cohort:
///
///     Σₑ menteeCoefficient[e]·matched(e)  +  Σ_(m,e) reach(m, e)  ≥  rhs
///
/// where `reach(m, e)` is `outsideCoefficient` or `insideCoefficient` for
/// pairs whose mentor is at the reach location. The rows say exactly what
/// ``CohortCheck`` checks (access: `a·n − A·g ≥ −⌊tol·n·g⌋`; reach with the
/// share written as N/D: `D·outside − N·all ≥ 0`).
struct SideRow: Sendable {
    let label: String
    /// Per mentee slot (empty for the reach row).
    let menteeCoefficient: [Int64]
    let rhs: Int64
    /// Per mentor slot: at the reach location (empty for access rows).
    let atLocation: [Bool]
    /// Per mentee slot: not at the reach location.
    let outside: [Bool]
    let outsideCoefficient: Int64
    let insideCoefficient: Int64

    /// Left side minus right side for a cohort (negative: the rule is broken).
    func slack(pairs: [(mentor: Int, mentee: Int)], matched: [Bool]) -> Int64 {
        var lhs: Int64 = 0
        if !menteeCoefficient.isEmpty {
            for (es, m) in matched.enumerated() where m { lhs += menteeCoefficient[es] }
        }
        if !atLocation.isEmpty {
            for p in pairs where atLocation[p.mentor] { lhs += outside[p.mentee] ? outsideCoefficient : insideCoefficient }
        }
        return lhs - rhs
    }

    /// The largest coefficient in absolute value (to scale a first multiplier).
    var largestCoefficient: Int64 {
        let a = menteeCoefficient.map { abs($0) }.max() ?? 0
        return max(1, a, abs(outsideCoefficient), abs(insideCoefficient))
    }

    /// The rows of a policy's access and reach rules; `nil` when the reach share
    /// has no exact decimal form with at most six places (then only GLPK checks it exactly).
    static func rows(_ instance: MatchInstance) -> [SideRow]? {
        let equity = instance.policy.equity
        let n = instance.mentees.count
        var out: [SideRow] = []
        func access(_ label: String, _ groups: [(String, [Int])], _ tolerance: Double) {
            for (value, members) in groups {
                let g = members.count
                var coefficient = [Int64](repeating: -Int64(g), count: n)
                for es in members { coefficient[es] += Int64(n) }
                let slack = Int64(EquityMath.slack(tolerance: tolerance, n: n, groupSize: g))
                out.append(
                    SideRow(
                        label: "\(label) '\(value)'", menteeCoefficient: coefficient, rhs: -slack,
                        atLocation: [], outside: [], outsideCoefficient: 0, insideCoefficient: 0))
            }
        }
        for rule in equity.groupAccess {
            access("group_access \(rule.attribute)", EquityMath.groups(instance, attribute: rule.attribute), rule.tolerance)
        }
        if let t = equity.departmentAccessTolerance {
            access("department_access", EquityMath.departmentGroups(instance), t)
        }
        if let levels = equity.levelAccess {
            access("level_access", EquityMath.levelGroups(instance, levels), levels.tolerance)
        }
        if let reach = equity.locationReach {
            var denominator: Int64 = 1
            while denominator <= 1_000_000 {
                let scaled = reach.minShareOutside * Double(denominator)
                if abs(scaled - scaled.rounded()) < 1e-9 { break }
                denominator *= 10
            }
            guard denominator <= 1_000_000 else { return nil }
            let numerator = Int64((reach.minShareOutside * Double(denominator)).rounded())
            let people = instance.people
            out.append(
                SideRow(
                    label: "location_reach", menteeCoefficient: [], rhs: 0,
                    atLocation: instance.mentors.map { people[$0].location == reach.location },
                    outside: instance.mentees.map { people[$0].location != reach.location },
                    outsideCoefficient: denominator - numerator, insideCoefficient: -numerator))
        }
        return out
    }
}
