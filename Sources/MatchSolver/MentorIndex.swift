import MatchModel

/// Finds a mentee's eligible mentors without looking at most of the others:
/// mentors are bucketed by level and sorted by UTC offset inside each bucket,
/// so a scan visits only the level band and the time-zone window
/// (wrapping around the date line) before the full eligibility check.
public struct MentorIndex: Sendable {
    let instance: MatchInstance
    /// Per level 1...15: mentor slots sorted by offset, and their offsets.
    let slots: [[Int32]]
    let offsets: [[Double]]

    public init(_ instance: MatchInstance) {
        self.instance = instance
        var slots = Array(repeating: [Int32](), count: 16)
        var offsets = Array(repeating: [Double](), count: 16)
        for level in 1...15 {
            let sorted = instance.mentorsByLevel[level].sorted {
                (instance.offsetHours[instance.mentors[$0]], $0) < (instance.offsetHours[instance.mentors[$1]], $1)
            }
            slots[level] = sorted.map { Int32($0) }
            offsets[level] = sorted.map { instance.offsetHours[instance.mentors[$0]] }
        }
        self.slots = slots
        self.offsets = offsets
    }

    /// Calls `body(mentorSlot, points)` for every mentor eligible for mentee slot `es`.
    @inline(__always)
    public func forEachEligible(mentee es: Int, _ body: (Int, Int) -> Void) {
        forEachCandidate(mentee: es) { ms in
            if instance.isEligible(mentor: ms, mentee: es) { body(ms, instance.points(mentor: ms, mentee: es)) }
        }
    }

    /// Mentor slots in the level band and time-zone window (not yet checked for the other rules).
    @inline(__always)
    func forEachCandidate(mentee es: Int, _ body: (Int) -> Void) {
        let mentee = instance.people[instance.mentees[es]]
        let rules = instance.policy.rules
        let lo = max(1, mentee.level + rules.levelGap.min), hi = min(15, mentee.level + rules.levelGap.max)
        guard lo <= hi else { return }
        let o = instance.offsetHours[instance.mentees[es]]
        for level in lo...hi {
            let off = offsets[level], sl = slots[level]
            guard !off.isEmpty else { continue }
            guard let g = rules.maxTimezoneGapHours, g < 12 else {
                for s in sl { body(Int(s)) }
                continue
            }
            // Offsets within [o − g, o + g], and the wrapped windows beyond ±24 h.
            for (a, b) in [(o - g, o + g), (o - g + 24, o + g + 24), (o - g - 24, o + g - 24)] {
                var i = lowerBound(off, a - 1e-9)
                while i < off.count && off[i] <= b + 1e-9 {
                    body(Int(sl[i]))
                    i += 1
                }
            }
        }
    }

    /// Eligible mentor slots of a mentee.
    public func eligibleMentors(of es: Int) -> [Int] {
        var out: [Int] = []
        forEachEligible(mentee: es) { ms, _ in out.append(ms) }
        return out
    }

    private func lowerBound(_ a: [Double], _ x: Double) -> Int {
        var lo = 0, hi = a.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if a[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
