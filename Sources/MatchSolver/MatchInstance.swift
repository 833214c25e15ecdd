import MatchModel

/// A program encoded once into flat arrays indexed by dense person numbers,
/// so eligibility and scoring never touch strings or dictionaries of people.
///
/// Mentor and mentee *slots* are positions in ``mentors`` and ``mentees``;
/// a person with role `both` has one of each.
public struct MatchInstance: Sendable {
    public let program: Program
    public let decisions: ReviewDecisions
    public var policy: Policy { program.policy }
    public var people: [Person] { program.people }

    /// Person index of each mentor slot (role mentor/both, not opted out).
    public let mentors: [Int]
    /// Person index of each mentee slot (role mentee/both, not opted out).
    public let mentees: [Int]
    /// Person index → mentor slot / mentee slot.
    public let mentorSlot: [Int: Int]
    public let menteeSlot: [Int: Int]
    public let indexOfID: [String: Int]

    // Per person, indexed by person index.
    let offsetHours: [Double]
    let languageIDs: [[Int32]]
    let departmentID: [Int32]
    let skillsByMentor: [[(skill: Int32, proficiency: Int32)]]
    let goalsByMentee: [[(skill: Int32, priority: Int32)]]
    let orgEnter: [Int32]
    let orgExit: [Int32]
    /// Whether each person meets some tier's mentor eligibility (the program's, without tiers):
    /// only such mentors are ever scanned.
    let passesMentorEligibility: [Bool]
    /// The tiers (one, the program's rules, without tiers) and, per tier, whether each person meets its mentor eligibility.
    public let tiers: [ResolvedTier]
    let passesTierEligibility: [[Bool]]
    /// Tier index by level gap + 32 (−1: the gap is in no tier).
    let tierOfGap: [Int8]
    /// The smallest and largest level gap of any tier.
    let gapRange: ClosedRange<Int>?
    /// Each mentee slot's most mentors: one per tier with tiers, else the roster's `mentors` cell or `mentors_per_mentee`.
    public let menteeLimit: [Int]
    /// Per criterion, per person: the cell's items as sorted ids (overlap), or the whole cell as one id (same, different).
    let criterionItems: [[[Int32]]]
    /// Each person's number in the program's score table (`UInt32.max`: no score names them).
    let scoreNumber: [UInt32]
    /// Whether pairs have factors beyond the six (criteria or external scores).
    let hasExtraFactors: Bool
    /// The eligible pairs ranked both ways (``Stability``), listed on first use.
    let rankedPairCache = RankedPairCache()

    // Pair sets keyed by (person a << 32 | person b).
    let excluded: Set<UInt64>
    let pastPairs: Set<UInt64>
    let rejected: Set<UInt64>
    let preferenceRank: [UInt64: Int]
    /// Locked pairs by person index.
    let lockedPairKeys: Set<UInt64>
    /// In a re-match: per person, whether they are a mentee who keeps their pairs as they are.
    let frozenMentees: [Bool]?

    /// Capacity of each mentor slot.
    public let capacity: [Int]
    /// Mentor slots by mentor level (1...15), for the level-gap filter.
    let mentorsByLevel: [[Int]]

    public init(program: Program, decisions: ReviewDecisions = ReviewDecisions()) {
        self.program = program
        self.decisions = decisions
        let people = program.people
        let rules = program.policy.rules
        var indexOfID: [String: Int] = [:]
        for (i, p) in people.enumerated() { indexOfID[p.id] = i }
        self.indexOfID = indexOfID

        var mentors: [Int] = [], mentees: [Int] = []
        for (i, p) in people.enumerated() where !p.optedOut {
            if p.role.canMentor { mentors.append(i) }
            if p.role.canBeMentored { mentees.append(i) }
        }
        self.mentors = mentors
        self.mentees = mentees
        mentorSlot = Dictionary(uniqueKeysWithValues: mentors.enumerated().map { ($1, $0) })
        menteeSlot = Dictionary(uniqueKeysWithValues: mentees.enumerated().map { ($1, $0) })

        // Once per zone, not per person (an IANA zone is a Foundation look-up).
        var offsetOfZone: [TimeZoneSpec: Double] = [:]
        offsetHours = people.map { p in
            if let known = offsetOfZone[p.timeZone] { return known }
            let hours = p.timeZone.offsetHours(on: program.start)
            offsetOfZone[p.timeZone] = hours
            return hours
        }
        var languages = Interner(), departments = Interner(), skills = Interner()
        languageIDs = people.map { p in p.languages.map { languages.id($0) }.sorted() }
        departmentID = people.map { departments.id($0.department) }
        skillsByMentor = people.map { p in p.expertise.map { (skills.id($0.key), Int32($0.value)) }.sorted { $0.0 < $1.0 } }
        goalsByMentee = people.map { p in p.goals.map { (skills.id($0.key), Int32($0.value)) }.sorted { $0.0 < $1.0 } }
        let tiers = program.policy.resolvedTiers
        self.tiers = tiers
        let tierPass = tiers.map { t in people.map { t.admitsMentor($0) } }
        passesTierEligibility = tierPass
        passesMentorEligibility = people.indices.map { i in tierPass.contains { $0[i] } }
        (tierOfGap, gapRange) = Self.gapTable(tiers)
        menteeLimit = mentees.map { program.policy.tiers.isEmpty ? (people[$0].mentorLimit ?? rules.mentorsPerMentee) : tiers.count }
        criterionItems = Self.criterionItems(program)
        hasExtraFactors = !program.policy.criteria.isEmpty || program.policy.externalScores != nil
        (orgEnter, orgExit) = MatchInstance.eulerTour(people: people, managers: program.managers)

        func keys(_ pairs: [(String, String)]) -> Set<UInt64> {
            Set(pairs.compactMap { a, b in indexOfID[a].flatMap { i in indexOfID[b].map { Self.pairKey(i, $0) } } })
        }
        excluded = keys(program.exclusions.flatMap { [($0.a, $0.b), ($0.b, $0.a)] })
        pastPairs = keys(program.history.map { ($0.mentorID, $0.menteeID) })
        rejected = keys(decisions.rejected.map { ($0.mentorID, $0.menteeID) })
        lockedPairKeys = keys(decisions.locked.map { ($0.mentorID, $0.menteeID) })
        frozenMentees = decisions.onlyMatch.map { only in people.map { !only.contains($0.id) } }
        var ranks: [UInt64: Int] = [:]
        for p in program.preferences {
            guard let a = indexOfID[p.fromID], let b = indexOfID[p.toID] else { continue }
            if ranks[Self.pairKey(a, b)] == nil { ranks[Self.pairKey(a, b)] = p.rank }
        }
        preferenceRank = ranks
        scoreNumber = program.scores.isEmpty ? [] : people.map { program.scores.number(of: $0.id) ?? UInt32.max }

        capacity = mentors.map { rules.capacity(of: people[$0]) }
        var byLevel = Array(repeating: [Int](), count: 16)
        for (slot, person) in mentors.enumerated() {
            let l = people[person].level
            if (1...15).contains(l) { byLevel[l].append(slot) }
        }
        mentorsByLevel = byLevel
    }

    @inline(__always) package static func pairKey(_ a: Int, _ b: Int) -> UInt64 {
        UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))
    }

    /// Dense numbers for strings, in order of first appearance.
    private struct Interner {
        var ids: [String: Int32] = [:]
        mutating func id(_ s: String) -> Int32 {
            if let id = ids[s] { return id }
            let id = Int32(ids.count)
            ids[s] = id
            return id
        }
    }

    /// The tier of each level gap (index gap + 32; −1: in no tier; the first tier listed wins), and
    /// the smallest and largest gap of any tier.
    private static func gapTable(_ tiers: [ResolvedTier]) -> ([Int8], ClosedRange<Int>?) {
        var byGap = [Int8](repeating: -1, count: 65)
        for (t, tier) in tiers.enumerated() where tier.levelGap.min <= tier.levelGap.max {
            for g in max(-32, tier.levelGap.min)...min(32, tier.levelGap.max) where byGap[g + 32] < 0 { byGap[g + 32] = Int8(t) }
        }
        let lows = tiers.map(\.levelGap.min), highs = tiers.map(\.levelGap.max)
        return (byGap, lows.min()! <= highs.max()! ? lows.min()!...highs.max()! : nil)
    }

    /// Per criterion, per person: the cell's items as sorted ids (overlap: the `;`-separated items,
    /// trimmed and lowercased; same and different: the whole cell lowercased).
    private static func criterionItems(_ program: Program) -> [[[Int32]]] {
        program.policy.criteria.map { criterion in
            var items = Interner()
            return program.people.map { p -> [Int32] in
                guard let cell = p.criteriaCells[criterion.column]?.trimmedWhitespace, !cell.isEmpty else { return [] }
                let cellItems =
                    criterion.kind == .overlap
                    ? Set(cell.split(separator: ";").map { $0.trimmedWhitespace.lowercased() }.filter { !$0.isEmpty })
                    : [cell.lowercased()]
                return cellItems.map { items.id($0) }.sorted()
            }
        }
    }

    /// Entry/exit times of a depth-first walk of the org forest: `a` is an
    /// ancestor of `b` exactly when `enter[a] < enter[b]` and `exit[b] <= exit[a]`.
    private static func eulerTour(people: [Person], managers: [String: String]) -> ([Int32], [Int32]) {
        var node: [String: Int] = [:]
        var names: [String] = []
        func id(_ s: String) -> Int {
            if let n = node[s] { return n }
            node[s] = names.count
            names.append(s)
            return names.count - 1
        }
        for p in people { _ = id(p.id) }
        for (a, b) in managers {
            _ = id(a)
            _ = id(b)
        }
        var parent = Array(repeating: -1, count: names.count)
        var children = Array(repeating: [Int](), count: names.count)
        for (a, b) in managers {
            let ai = id(a), bi = id(b)
            parent[ai] = bi
            children[bi].append(ai)
        }
        var enter = Array(repeating: Int32(0), count: names.count)
        var exit = Array(repeating: Int32(0), count: names.count)
        var visited = Array(repeating: false, count: names.count)
        var clock: Int32 = 0
        for root in 0..<names.count where parent[root] == -1 {
            var stack: [(Int, Int)] = [(root, 0)]
            visited[root] = true
            enter[root] = clock
            clock += 1
            while let (n, next) = stack.last {
                if next < children[n].count {
                    stack[stack.count - 1].1 += 1
                    let c = children[n][next]
                    if visited[c] { continue }
                    visited[c] = true
                    enter[c] = clock
                    clock += 1
                    stack.append((c, 0))
                } else {
                    exit[n] = clock
                    clock += 1
                    stack.removeLast()
                }
            }
        }
        // Nodes on a cycle have no root; the loader rejects cycles, so this is
        // only reached for hand-built programs. Give them disjoint intervals.
        for n in 0..<names.count where !visited[n] {
            enter[n] = clock
            exit[n] = clock + 1
            clock += 2
        }
        return (people.indices.map { enter[$0] }, people.indices.map { exit[$0] })
    }

    /// The tier a level gap falls in (always 0 without tiers when the gap is in the level-gap range).
    @inline(__always) public func tierIndex(gap: Int) -> Int? {
        guard gap >= -32 && gap <= 32 else { return nil }
        let t = tierOfGap[gap + 32]
        return t < 0 ? nil : Int(t)
    }

    /// The tier of (mentor slot, mentee slot) by their level gap, eligible or not.
    public func tier(mentor ms: Int, mentee es: Int) -> Int? {
        tierIndex(gap: people[mentors[ms]].level - people[mentees[es]].level)
    }

    /// The external score of persons `m` and `e` (SPEC 9.6), if the scores file has their row.
    @inline(__always) func externalScore(_ m: Int, _ e: Int) -> Double? {
        guard !scoreNumber.isEmpty else { return nil }
        let a = scoreNumber[m], b = scoreNumber[e]
        guard a != UInt32.max, b != UInt32.max else { return nil }
        return program.scores.score(mentor: a, mentee: b)
    }

    /// Whether the program has named tiers (SPEC 9.4).
    public var hasTiers: Bool { !policy.tiers.isEmpty }

    /// Whether person `a` manages person `b` at any depth.
    @inline(__always) func isAncestor(_ a: Int, of b: Int) -> Bool {
        orgEnter[a] < orgEnter[b] && orgExit[b] <= orgExit[a]
    }

    /// Time-zone distance in hours on the program's start date (SPEC 3).
    @inline(__always) public func timezoneGap(_ a: Int, _ b: Int) -> Double {
        let diff = abs(offsetHours[a] - offsetHours[b])
        return min(diff, 24 - diff)
    }

    @inline(__always) func shareLanguage(_ a: Int, _ b: Int) -> Bool {
        let x = languageIDs[a], y = languageIDs[b]
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if x[i] == y[j] { return true }
            if x[i] < y[j] { i += 1 } else { j += 1 }
        }
        return false
    }
}
