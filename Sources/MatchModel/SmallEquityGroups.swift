/// Equity groups with very few mentees. A group of one or two is usually a typo in an
/// attribute value (`urg=yse`) or a department name; its rate moves in steps of a whole
/// person, so an access rule on it is far stricter than the owner meant and far harder to
/// solve. Such groups are reported as warnings, never refused: small groups can be real.
public enum SmallEquityGroups {
    /// Groups with fewer mentees than this are reported.
    public static let threshold = 5

    /// A warning for each group of an access rule with fewer than ``threshold`` mentees,
    /// located at the roster line of its first member.
    public static func warnings(_ program: Program) -> [Diagnostic] {
        let equity = program.policy.equity
        guard !equity.groupAccess.isEmpty || equity.departmentAccessTolerance != nil else { return [] }
        let mentees = program.people.filter { ($0.role == .mentee || $0.role == .both) && !$0.optedOut }
        let roster = program.files?.roster ?? "roster"
        var out: [Diagnostic] = []
        func check(_ rule: String, _ value: (Person) -> String?) {
            var members: [String: [Person]] = [:]
            for p in mentees { if let v = value(p) { members[v, default: []].append(p) } }
            for (v, ps) in members.sorted(by: { $0.key < $1.key }) where ps.count < threshold {
                out.append(
                    .warning(
                        SourceLocation(file: roster, line: ps[0].line),
                        "\(rule) group '\(v)' has only \(ps.count) mentee\(ps.count == 1 ? "" : "s") "
                            + "(fewer than \(threshold)): if the value is a typo, fix it in the roster; "
                            + "a group this small makes the rule far stricter than its tolerance suggests"))
            }
        }
        for rule in equity.groupAccess { check("group_access \(rule.attribute)") { $0.attributes[rule.attribute] } }
        if equity.departmentAccessTolerance != nil { check("department_access") { $0.department } }
        return out
    }
}
