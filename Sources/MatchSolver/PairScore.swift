import MatchModel

/// The factors of a pair, each in [0, 1]: the six of SPEC 3, then the program's
/// own criteria and the external score (SPEC 9.6), in that order.
public struct Factors: Sendable, Equatable, Codable {
    public var skills: Double
    public var level: Double
    public var timezone: Double
    public var preference: Double
    public var style: Double
    public var crossDepartment: Double
    /// The criteria by name in the program's order, then `external` when the program has scores.
    public var extra: [NamedFactor] = []

    /// A factor the program defines.
    public struct NamedFactor: Sendable, Equatable {
        public var name: String
        public var value: Double
        public init(name: String, value: Double) {
            self.name = name
            self.value = value
        }
    }

    public init(
        skills: Double, level: Double, timezone: Double, preference: Double, style: Double, crossDepartment: Double,
        extra: [NamedFactor] = []
    ) {
        self.skills = skills
        self.level = level
        self.timezone = timezone
        self.preference = preference
        self.style = style
        self.crossDepartment = crossDepartment
        self.extra = extra
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let builtIn = ["skills", "level", "timezone", "preference", "style", "cross_department"]

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for (name, v) in zip(Self.builtIn, [skills, level, timezone, preference, style, crossDepartment]) { try c.encode(v, forKey: Key(name)) }
        for f in extra { try c.encode(f.value, forKey: Key(f.name)) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        func v(_ k: String) throws -> Double { try c.decode(Double.self, forKey: Key(k)) }
        skills = try v("skills")
        level = try v("level")
        timezone = try v("timezone")
        preference = try v("preference")
        style = try v("style")
        crossDepartment = try v("cross_department")
        extra = try c.allKeys.filter { !Self.builtIn.contains($0.stringValue) }.sorted { $0.stringValue < $1.stringValue }
            .map { NamedFactor(name: $0.stringValue, value: try c.decode(Double.self, forKey: $0)) }
    }

    /// score = Σ weight·factor, summed in the spec's order in IEEE doubles: the six factors,
    /// then each criterion, then the external factor (their weights in `policy`).
    public func score(_ policy: Policy) -> Double {
        let w = policy.weights
        var s = w.skills * skills
        s += w.level * level
        s += w.timezone * timezone
        s += w.preference * preference
        s += w.style * style
        s += w.crossDepartment * crossDepartment
        for (weight, f) in zip(policy.extraFactorWeights, extra) { s += weight * f.value }
        return s
    }

    /// points = ⌊1000·score + 0.5⌋: 0–1000 for weights summing to at most 1, more above.
    public func points(_ policy: Policy) -> Int {
        Int((1000 * score(policy) + 0.5).rounded(.down))
    }
}

extension Policy {
    /// Weights of the factors after the six: each criterion's, then the external score's.
    public var extraFactorWeights: [Double] { criteria.map(\.weight) + (externalScores.map { [$0.weight] } ?? []) }
    /// Names of those factors, as the proposal's `factors` object carries them.
    public var extraFactorNames: [String] { criteria.map(\.name) + (externalScores == nil ? [] : ["external"]) }
}

extension MatchInstance {
    /// The factors of (mentor slot, mentee slot), exactly as SPEC 3 defines them.
    public func factors(mentor ms: Int, mentee es: Int) -> Factors {
        let m = mentors[ms], e = mentees[es]
        let mentor = people[m], mentee = people[e]

        // skills = Σ p·q / (5 · Σ p) over the mentee's goals.
        var num = 0, den = 0
        let expertise = skillsByMentor[m]
        for goal in goalsByMentee[e] {
            den += Int(goal.priority)
            var lo = 0, hi = expertise.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if expertise[mid].skill < goal.skill { lo = mid + 1 } else { hi = mid }
            }
            if lo < expertise.count && expertise[lo].skill == goal.skill {
                num += Int(goal.priority) * Int(expertise[lo].proficiency)
            }
        }
        let skills = den == 0 ? 0 : Double(num) / Double(5 * den)

        let gap = mentor.level - mentee.level
        let ideal = tiers[tierIndex(gap: gap) ?? 0].levelGap.ideal
        let level = max(0, 1 - Double(abs(gap - ideal)) / 4)

        let d = timezoneGap(m, e)
        let timezone = max(0, 8 - d) / 8

        func rankValue(_ from: Int, _ to: Int) -> Double {
            guard let k = preferenceRank[MatchInstance.pairKey(from, to)] else { return 0 }
            return max(0, 1 - 0.25 * Double(k - 1))
        }
        let preference = (rankValue(e, m) + rankValue(m, e)) / 2

        let style: Double
        if let a = mentor.style, let b = mentee.style {
            let diff = abs(a.position - b.position)
            style = diff == 0 ? 1 : (diff == 2 ? 0 : 0.5)
        } else {
            style = 0.5
        }
        let cross: Double = departmentID[m] != departmentID[e] ? 1 : 0
        var extra: [Factors.NamedFactor] = []
        if hasExtraFactors {
            for (c, criterion) in policy.criteria.enumerated() {
                extra.append(.init(name: criterion.name, value: criterionValue(c, m, e)))
            }
            if let external = policy.externalScores {
                extra.append(.init(name: "external", value: externalScore(m, e) ?? external.missing))
            }
        }
        return Factors(
            skills: skills, level: level, timezone: timezone, preference: preference,
            style: style, crossDepartment: cross, extra: extra)
    }

    /// Points of (mentor slot, mentee slot).
    public func points(mentor ms: Int, mentee es: Int) -> Int {
        factors(mentor: ms, mentee: es).points(policy)
    }

    /// A criterion's factor for persons `m` and `e` (SPEC 9.6).
    func criterionValue(_ c: Int, _ m: Int, _ e: Int) -> Double {
        let a = criterionItems[c][m], b = criterionItems[c][e]
        switch policy.criteria[c].kind {
        case .overlap:
            if a.isEmpty && b.isEmpty { return 0 }
            var i = 0, j = 0, common = 0
            while i < a.count && j < b.count {
                if a[i] == b[j] {
                    common += 1
                    i += 1
                    j += 1
                } else if a[i] < b[j] {
                    i += 1
                } else {
                    j += 1
                }
            }
            return Double(common) / Double(a.count + b.count - common)
        case .same: return !a.isEmpty && !b.isEmpty && a == b ? 1 : 0
        case .different: return !a.isEmpty && !b.isEmpty && a != b ? 1 : 0
        }
    }
}
