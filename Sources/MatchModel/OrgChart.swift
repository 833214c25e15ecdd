/// The org chart as one forest: each person's manager (roster first, then
/// org.csv). Validated to be free of cycles.
public enum OrgChart {
    /// Merges roster managers over org.csv managers and reports every cycle
    /// once, located where one of its links is written.
    public static func merge(
        people: [Person], rosterFile: String,
        org: [String: (manager: String, location: SourceLocation)],
        diagnostics d: inout Diagnostics
    ) -> [String: String] {
        var managers: [String: String] = [:]
        var whereGiven: [String: SourceLocation] = [:]
        for (id, entry) in org {
            managers[id] = entry.manager
            whereGiven[id] = entry.location
        }
        for p in people {
            if let m = p.managerID {
                managers[p.id] = m
                whereGiven[p.id] = SourceLocation(file: rosterFile, line: p.line)
            }
        }
        // Walk each chain once; a node met again on the current walk closes a cycle.
        var state: [String: UInt8] = [:]  // 1 on the current walk, 2 done
        for start in managers.keys.sorted() where state[start] == nil {
            var path: [String] = []
            var node: String? = start
            while let n = node {
                if state[n] == 2 { break }
                if state[n] == 1 {
                    let cycleStart = path.firstIndex(of: n)!
                    let cycle = Array(path[cycleStart...]) + [n]
                    let anchor = cycle.dropLast().min()!
                    d.error(
                        whereGiven[anchor] ?? SourceLocation(file: rosterFile),
                        "the org chart has a cycle: \(cycle.joined(separator: " → ")); someone's manager must be outside this loop")
                    break
                }
                state[n] = 1
                path.append(n)
                node = managers[n]
            }
            for n in path { state[n] = 2 }
        }
        return managers
    }
}
