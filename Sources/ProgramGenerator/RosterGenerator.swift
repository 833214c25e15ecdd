import Foundation
import MatchModel

/// Writes a realistic synthetic program (SPEC 8): roster.csv with an org
/// chart, departments, sites across time zones, languages, skills and equity
/// attributes; preferences, exclusions, history and org side files; and a
/// program.yaml. The same seed always gives the same bytes.
public struct RosterGenerator: Sendable {
    public var mentees: Int
    public var mentors: Int
    public var seed: UInt64
    /// Include every equity rule in program.yaml.
    public var equity: Bool
    /// Equity rules that bind: attributes correlated with site and department (as in real
    /// companies, so the best cohort without the rules breaks them), mentors drawn more from
    /// HQ, and every rule at a small tolerance. Implies ``equity``.
    public var binding: Bool

    public init(mentees: Int, mentors: Int, seed: UInt64, equity: Bool = false, binding: Bool = false) {
        self.mentees = mentees
        self.mentors = mentors
        self.seed = seed
        self.equity = equity || binding
        self.binding = binding
    }

    /// Share of under-represented-group members by site (binding profile): low at HQ, high elsewhere.
    static let urgShareBySite: [Double] = [0.08, 0.35, 0.2, 0.15, 0.55, 0.3, 0.4, 0.65, 0.3]
    /// Share of women by department (binding profile), in the order of ``departments``.
    static let womenShareByDepartment: [Double] = [0.22, 0.35, 0.45, 0.6, 0.4, 0.62, 0.45, 0.75, 0.38, 0.5, 0.52, 0.18]

    struct Site {
        let name: String, zone: String, languages: [String], weight: Double, english: Double
    }

    static let sites: [Site] = [
        Site(name: "HQ", zone: "America/New_York", languages: ["en"], weight: 30, english: 1),
        Site(name: "Austin", zone: "America/Chicago", languages: ["en", "es"], weight: 9, english: 1),
        Site(name: "London", zone: "Europe/London", languages: ["en"], weight: 10, english: 1),
        Site(name: "Berlin", zone: "Europe/Berlin", languages: ["de"], weight: 11, english: 0.9),
        Site(name: "Pune", zone: "Asia/Kolkata", languages: ["en", "hi", "mr"], weight: 17, english: 1),
        Site(name: "Singapore", zone: "Asia/Singapore", languages: ["en", "zh"], weight: 8, english: 1),
        Site(name: "Tokyo", zone: "Asia/Tokyo", languages: ["ja"], weight: 6, english: 0.6),
        Site(name: "Sao Paulo", zone: "America/Sao_Paulo", languages: ["pt"], weight: 6, english: 0.7),
        Site(name: "Remote", zone: "UTC+05:30", languages: ["en"], weight: 3, english: 1)
    ]

    static let departments: [(String, [String])] = [
        ("Engineering", ["swift", "distributed-systems", "cloud", "security", "testing", "architecture"]),
        ("Data", ["python", "sql", "machine-learning", "statistics", "data-visualization"]),
        ("Product", ["product-strategy", "roadmapping", "user-research", "analytics"]),
        ("Design", ["ux-research", "interaction-design", "visual-design", "prototyping"]),
        ("Sales", ["negotiation", "account-management", "sales-strategy", "forecasting"]),
        ("Marketing", ["brand", "content-strategy", "growth", "analytics"]),
        ("Finance", ["financial-modeling", "accounting", "forecasting", "risk"]),
        ("People", ["recruiting", "coaching", "org-design", "employee-relations"]),
        ("Operations", ["process-improvement", "supply-chain", "vendor-management", "risk"]),
        ("Support", ["customer-empathy", "troubleshooting", "knowledge-management", "escalations"]),
        ("Legal", ["contracts", "compliance", "privacy", "negotiation"]),
        ("Security", ["security", "incident-response", "threat-modeling", "compliance"])
    ]

    static let commonSkills = [
        "leadership", "public-speaking", "stakeholder-management", "writing",
        "people-management", "career-growth", "prioritization", "mentoring"
    ]

    static let firstNames = [
        "Aisha", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
        "Kavya", "Liam", "Maya", "Noah", "Olu", "Priya", "Quinn", "Rafael", "Sofia", "Tariq",
        "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Chen", "Dara",
        "Emil", "Fatima", "Gabriel", "Hana", "Ivan", "Julia", "Kenji", "Lena", "Mateo", "Nadia"
    ]
    static let lastNames = [
        "Okafor", "Schmidt", "Patel", "Tanaka", "Silva", "Nguyen", "Kowalski", "Haddad", "Larsen",
        "Mensah", "Rossi", "Kim", "Fernandes", "Novak", "Iyer", "Müller", "Sato", "Costa", "Walsh",
        "Ahmed", "Berg", "Chandra", "Dubois", "Eriksen", "Garcia", "Hughes", "Ito", "Joshi", "Khan", "Lopez"
    ]

    struct Row {
        var id: String, name: String, role: String, level: Int, department: Int, site: Int
        var languages: [String], manager: String, expertise: [(String, Int)], goals: [(String, Int)]
        var capacity: String, tenure: Int, rating: Int, style: String, attributes: String
        var priority: String, optOut: Bool
    }

    /// The generated files: name → contents. One random stream, drawn in a fixed order (people,
    /// org chart, preferences and history, exclusions): the same seed gives the same files.
    public func files() -> [(name: String, contents: String)] {
        var rng = SplitMix64(seed: seed)
        var rows = people(&rng)
        let org = orgChart(&rows, &rng)
        let (prefs, history) = preferencesAndHistory(rows, &rng)
        let exclusions = exclusions(rows, &rng)
        return [
            ("roster.csv", roster(rows)), ("preferences.csv", prefs), ("exclusions.csv", exclusions),
            ("history.csv", history), ("org.csv", org), ("program.yaml", program())
        ]
    }

    private var departmentCount: Int { min(Self.departments.count, max(4, (mentees + mentors) / 400 + 4)) }

    /// Everyone in the roster, mentors first; managers are left to ``orgChart(_:_:)``.
    private func people(_ rng: inout SplitMix64) -> [Row] {
        let total = mentees + mentors
        let width = max(5, String(total).count)
        let deptCount = departmentCount
        let siteWeights = Self.sites.map(\.weight)
        // Binding profile: senior people (the mentors) sit at HQ more often than the mentees.
        let mentorSiteWeights = Self.sites.map { $0.name == "HQ" ? $0.weight * 2.5 : $0.weight }
        var rows: [Row] = []
        rows.reserveCapacity(total)
        for i in 0..<total {
            let isMentor = i < mentors
            let department = rng.weighted((0..<deptCount).map { $0 == 0 ? 3.0 : ($0 < 3 ? 1.6 : 1.0) })
            let site = rng.weighted(binding && isMentor ? mentorSiteWeights : siteWeights)
            let s = Self.sites[site]
            var languages = s.languages
            if !languages.contains("en") && rng.unit() < s.english { languages.append("en") }
            if rng.unit() < 0.12 { languages.append(["fr", "es", "de", "zh", "ar"][rng.below(5)]) }
            var seenLanguages = Set<String>()
            languages = languages.filter { seenLanguages.insert($0).inserted }
            let level = isMentor ? 6 + rng.weighted([3, 4, 4, 3, 2, 1.5, 1]) : 2 + rng.weighted([1.5, 3, 4, 4, 3, 1.5, 0.5])
            let expertise = isMentor ? mentorSkills(department, &rng) : []
            let goals = isMentor ? [] : menteeGoals(department, deptCount, &rng)
            let gender: String, urg: String
            if binding {
                let women = Self.womenShareByDepartment[department] * 96
                gender = ["f", "m", "x"][rng.weighted([women, 96 - women, 4])]
                urg = rng.unit() < Self.urgShareBySite[site] ? "yes" : "no"
            } else {
                gender = ["f", "m", "f", "m", "x"][rng.weighted([47, 47, 0, 0, 6])]
                urg = rng.unit() < 0.24 ? "yes" : "no"
            }
            let capacity = isMentor && rng.unit() < 0.2 ? String(1 + rng.below(4)) : ""
            let name = "\(Self.firstNames[rng.below(Self.firstNames.count)]) \(Self.lastNames[rng.below(Self.lastNames.count)])"
            rows.append(
                Row(
                    id: "P" + String(repeating: "0", count: max(0, width - String(i + 1).count)) + String(i + 1),
                    name: name, role: isMentor ? "mentor" : "mentee", level: level, department: department, site: site,
                    languages: languages, manager: "", expertise: expertise, goals: goals, capacity: capacity,
                    tenure: isMentor ? 12 + rng.below(228) : rng.below(96), rating: 2 + rng.weighted([1, 4, 4, 2]),
                    style: rng.unit() < 0.1 ? "" : ["D", "I", "S", "C"][rng.below(4)],
                    attributes: "gender=\(gender);urg=\(urg)", priority: !isMentor && rng.unit() < 0.15 ? "high" : "normal",
                    optOut: rng.unit() < 0.015))
        }
        return rows
    }

    /// A mentor's 3–6 draws of expertise: their department's skills mostly, else common ones.
    private func mentorSkills(_ department: Int, _ rng: inout SplitMix64) -> [(String, Int)] {
        var expertise: [(String, Int)] = []
        var chosen = Set<String>()
        for _ in 0..<(3 + rng.below(4)) {
            let pool = rng.unit() < 0.6 ? Self.departments[department].1 : Self.commonSkills
            let skill = pool[rng.below(pool.count)]
            if chosen.insert(skill).inserted { expertise.append((skill, 2 + rng.below(4))) }
        }
        return expertise
    }

    /// A mentee's 1–3 draws of goals: their department's skills, common ones, or another department's.
    private func menteeGoals(_ department: Int, _ deptCount: Int, _ rng: inout SplitMix64) -> [(String, Int)] {
        var goals: [(String, Int)] = []
        var chosen = Set<String>()
        for _ in 0..<(1 + rng.below(3)) {
            let pool =
                rng.unit() < 0.5
                ? Self.departments[department].1
                : (rng.unit() < 0.5
                    ? Self.commonSkills
                    : Self.departments[rng.below(deptCount)].1)
            let skill = pool[rng.below(pool.count)]
            if chosen.insert(skill).inserted { goals.append((skill, 1 + rng.below(3))) }
        }
        return goals
    }

    /// org.csv, and each person's manager: within each department, each person reports to someone
    /// a level or more above, drawn from the nearest senior people; the department heads (outside
    /// the roster) report to the CEO.
    private func orgChart(_ rows: inout [Row], _ rng: inout SplitMix64) -> String {
        let deptCount = departmentCount
        var org = "id,manager_id\nCEO,\n"
        var byDept = Array(repeating: [Int](), count: deptCount)
        for (i, r) in rows.enumerated() { byDept[r.department].append(i) }
        for d in 0..<deptCount {
            let head = "HEAD-\(Self.departments[d].0.uppercased())"
            org += "\(head),CEO\n"
            let members = byDept[d].sorted { (rows[$0].level, $0) > (rows[$1].level, $1) }
            var seniorEnd = 0  // members[0..<seniorEnd] are strictly more senior than the current person
            for (pos, i) in members.enumerated() {
                while seniorEnd < pos && rows[members[seniorEnd]].level > rows[i].level { seniorEnd += 1 }
                if seniorEnd == 0 || rng.unit() < 0.03 {
                    rows[i].manager = head
                } else {
                    let window = min(seniorEnd, 25)
                    rows[i].manager = rows[members[seniorEnd - 1 - rng.below(window)]].id
                }
            }
        }
        return org
    }

    /// preferences.csv and history.csv: some mentees rank or once had mentors a few levels above;
    /// some mentors name a mentee.
    private func preferencesAndHistory(_ rows: [Row], _ rng: inout SplitMix64) -> (String, String) {
        let total = mentees + mentors
        let mentorIDsByLevel: [[Int]] = (0...16).map { l in (0..<mentors).filter { rows[$0].level == l } }
        var prefs = "from_id,to_id,rank\n"
        var history = "mentor_id,mentee_id,cohort\n"
        for i in mentors..<total {
            let lo = rows[i].level + 1, hi = min(15, rows[i].level + 4)
            if rng.unit() < 0.3 {
                var chosen = Set<Int>()
                for rank in 1...(1 + rng.below(3)) {
                    let l = lo + rng.below(hi - lo + 1)
                    guard !mentorIDsByLevel[l].isEmpty else { continue }
                    let m = mentorIDsByLevel[l][rng.below(mentorIDsByLevel[l].count)]
                    if chosen.insert(m).inserted { prefs += "\(rows[i].id),\(rows[m].id),\(rank)\n" }
                }
            }
            if rng.unit() < 0.2 && mentors > 0 {
                let l = lo + rng.below(hi - lo + 1)
                if !mentorIDsByLevel[l].isEmpty {
                    let m = mentorIDsByLevel[l][rng.below(mentorIDsByLevel[l].count)]
                    history += "\(rows[m].id),\(rows[i].id),2026-H1\n"
                }
            }
        }
        if mentees > 0 {
            for m in 0..<mentors where rng.unit() < 0.1 {
                prefs += "\(rows[m].id),\(rows[mentors + rng.below(mentees)].id),1\n"
            }
        }
        return (prefs, history)
    }

    /// exclusions.csv: one declared conflict per 200 people.
    private func exclusions(_ rows: [Row], _ rng: inout SplitMix64) -> String {
        let total = mentees + mentors
        var exclusions = "a_id,b_id,reason\n"
        let reasons = ["close relatives", "former co-founders", "ongoing HR case", "romantic relationship", "direct competitor project"]
        for _ in 0..<max(1, total / 200) where total > 1 {
            let a = rng.below(total), b = rng.below(total)
            if a != b { exclusions += "\(rows[a].id),\(rows[b].id),\(reasons[rng.below(reasons.count)])\n" }
        }
        return exclusions
    }

    private func roster(_ rows: [Row]) -> String {
        var roster =
            "id,name,role,level,department,location,timezone,languages,manager_id,expertise,goals,capacity,tenure_months,rating,style,attributes,priority,opt_out\n"
        for r in rows {
            let s = Self.sites[r.site]
            let fields: [String] = [
                r.id, r.name, r.role, String(r.level), Self.departments[r.department].0, s.name, s.zone,
                r.languages.joined(separator: ";"), r.manager,
                r.expertise.map { "\($0.0):\($0.1)" }.joined(separator: ";"),
                r.goals.map { "\($0.0):\($0.1)" }.joined(separator: ";"),
                r.capacity, String(r.tenure), String(r.rating), r.style, r.attributes, r.priority, r.optOut ? "yes" : "no"
            ]
            roster += fields.map(CSVTable.field).joined(separator: ",") + "\n"
        }
        return roster
    }

    /// program.yaml: SPEC 8's policy, with equity rules when asked (binding: tolerances that bind).
    private func program() -> String {
        var yaml = """
            # Generated by: mentormatch generate --mentees \(mentees) --mentors \(mentors) --seed \(seed)\(binding ? " --binding" : equity ? " --equity" : "")
            name: Synthetic program \(mentees)x\(mentors) (seed \(seed))
            cohort: 2027-H1
            start: 2027-01-15
            duration_months: 6
            roster: roster.csv
            preferences: preferences.csv
            exclusions: exclusions.csv
            history: history.csv
            org: org.csv

            weights:
              skills: 0.50
              level: 0.15
              timezone: 0.10
              preference: 0.15
              style: 0.05
              cross_department: 0.05

            rules:
              mentors_per_mentee: 1
              max_timezone_gap_hours: 6
              shared_language: true
              level_gap: {min: 1, max: 4, ideal: 2}
              default_capacity: 2
              capacity_by_level: {10: 3, 12: 4}
              exclude_management_chain: true
              no_repeat_pairs: true
              mentor_eligibility: {min_tenure_months: 12, min_rating: 3}

            """
        if equity {
            // Binding: tolerances small enough that the correlated attributes make the rules bind.
            let (urg, department, reach) = binding ? ("0.03", "0.05", "0.5") : ("0.05", "0.10", "0.3")
            yaml += """
                equity:
                  group_access:
                    - {attribute: urg, tolerance: \(urg)}
                    - {attribute: gender, tolerance: 0.05}
                  department_access: {tolerance: \(department)}
                  max_same_department_per_mentor: 2
                  location_reach: {location: HQ, min_share_outside: \(reach)}

                """
        }
        yaml += """
            objective: coverage_then_score
            solver: {time_limit_seconds: \(binding ? 60 : 600), mip_gap: 0.0}

            """
        return yaml
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and the same on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    /// Uniform in 0..<n.
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    /// An index drawn with the given weights.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
}
