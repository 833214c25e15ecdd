import MatchModel

extension MatchInstance {
    /// Locked pairs as (mentor slot, mentee slot), and a sentence for each
    /// lock that cannot hold (unknown person, not an active mentor/mentee,
    /// not eligible).
    public func resolveLocks() -> (pairs: [(mentor: Int, mentee: Int)], problems: [String]) {
        var out: [(mentor: Int, mentee: Int)] = []
        var problems: [String] = []
        for lock in decisions.locked.sorted() {
            guard let mi = indexOfID[lock.mentorID] else {
                problems.append("locked pair \(lock): '\(lock.mentorID)' is not in the roster")
                continue
            }
            guard let ei = indexOfID[lock.menteeID] else {
                problems.append("locked pair \(lock): '\(lock.menteeID)' is not in the roster")
                continue
            }
            guard let ms = mentorSlot[mi] else {
                problems.append("locked pair \(lock): \(lock.mentorID) is not an active mentor (role or opt-out)")
                continue
            }
            guard let es = menteeSlot[ei] else {
                problems.append("locked pair \(lock): \(lock.menteeID) is not an active mentee (role or opt-out)")
                continue
            }
            if let why = ineligibility(mentor: ms, mentee: es) {
                problems.append("locked pair \(lock) is not eligible: they \(why.phrase)")
                continue
            }
            out.append((ms, es))
        }
        return (out, problems)
    }
}
