import MatchModel

/// The six factors of a pair, each in [0, 1] (SPEC 3).
public struct Factors: Sendable, Equatable, Codable {
    public var skills: Double
    public var level: Double
    public var timezone: Double
    public var preference: Double
    public var style: Double
    public var crossDepartment: Double

    public init(skills: Double, level: Double, timezone: Double, preference: Double, style: Double, crossDepartment: Double) {
        self.skills = skills
        self.level = level
        self.timezone = timezone
        self.preference = preference
        self.style = style
        self.crossDepartment = crossDepartment
    }

    enum CodingKeys: String, CodingKey {
        case skills, level, timezone, preference, style
        case crossDepartment = "cross_department"
    }

    /// score = Σ weight·factor, summed in the spec's order in IEEE doubles.
    public func score(_ w: Weights) -> Double {
        var s = w.skills * skills
        s += w.level * level
        s += w.timezone * timezone
        s += w.preference * preference
        s += w.style * style
        s += w.crossDepartment * crossDepartment
        return s
    }

    /// points = ⌊1000·score + 0.5⌋, an integer 0–1000 for weights summing to at most 1.
    public func points(_ w: Weights) -> Int {
        Int((1000 * score(w) + 0.5).rounded(.down))
    }
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

        let ideal = policy.rules.levelGap.ideal
        let gap = mentor.level - mentee.level
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
        return Factors(
            skills: skills, level: level, timezone: timezone, preference: preference,
            style: style, crossDepartment: cross)
    }

    /// Points of (mentor slot, mentee slot).
    public func points(mentor ms: Int, mentee es: Int) -> Int {
        factors(mentor: ms, mentee: es).points(policy.weights)
    }
}
