/// A mentee ranking a mentor, or a mentor ranking a mentee (rank 1 is best).
public struct Preference: Sendable, Hashable {
    public var fromID: String
    public var toID: String
    public var rank: Int
    public init(fromID: String, toID: String, rank: Int) {
        self.fromID = fromID
        self.toID = toID
        self.rank = rank
    }
}

/// A declared conflict of interest between two people (symmetric).
public struct Exclusion: Sendable, Hashable {
    public var a: String
    public var b: String
    public var reason: String
    public init(a: String, b: String, reason: String = "") {
        self.a = a
        self.b = b
        self.reason = reason
    }
}

/// A pairing from an earlier cohort.
public struct PastPair: Sendable, Hashable {
    public var mentorID: String
    public var menteeID: String
    public var cohort: String
    public init(mentorID: String, menteeID: String, cohort: String = "") {
        self.mentorID = mentorID
        self.menteeID = menteeID
        self.cohort = cohort
    }
}

/// A (mentor, mentee) pair named by ids, as used by review decisions.
public struct PairKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var mentorID: String
    public var menteeID: String
    public init(mentorID: String, menteeID: String) {
        self.mentorID = mentorID
        self.menteeID = menteeID
    }
    public static func < (a: PairKey, b: PairKey) -> Bool {
        (a.mentorID, a.menteeID) < (b.mentorID, b.menteeID)
    }
    public var description: String { "\(mentorID):\(menteeID)" }

    /// A pair written as `MENTOR:MENTEE` (spaces around either id ignored); nil when it is not one.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(mentorID: parts[0], menteeID: parts[1])
    }
}

/// The review decision that fixed a pair, as shown to people: both fix the pair
/// in; an accepted pair was proposed and kept, a locked one negotiated.
public enum PairDecision: String, Sendable, Equatable {
    case accepted, locked
}

/// Review decisions that bind a solve: locked pairs are fixed in, rejected
/// pairs are ineligible (SPEC 2.8, 4).
public struct ReviewDecisions: Sendable, Equatable {
    /// Every pair fixed in: locked or accepted in review, given with `--lock`, or kept by a rematch.
    public var locked: Set<PairKey>
    public var rejected: Set<PairKey>
    /// The decision behind fixed pairs that came from review or the command line (for labels;
    /// a pair a rematch keeps is fixed without a decision).
    public var labels: [PairKey: PairDecision] = [:]
    /// When set (a re-match), only these mentees may get new pairs; every
    /// other mentee keeps exactly their locked pairs.
    public var onlyMatch: Set<String>?
    public init(locked: Set<PairKey> = [], rejected: Set<PairKey> = [], onlyMatch: Set<String>? = nil) {
        self.locked = locked
        self.rejected = rejected
        self.onlyMatch = onlyMatch
    }
}

/// Which files a program was read from, for messages and hashing.
public struct ProgramFiles: Sendable, Equatable {
    public var program: String
    public var roster: String
    public var preferences: String?
    public var exclusions: String?
    public var history: String?
    public var org: String?
    public var scores: String?

    public init(
        program: String, roster: String, preferences: String? = nil, exclusions: String? = nil,
        history: String? = nil, org: String? = nil
    ) {
        self.program = program
        self.roster = roster
        self.preferences = preferences
        self.exclusions = exclusions
        self.history = history
        self.org = org
    }

    public var all: [String] { [program, roster] + [preferences, exclusions, history, org, scores].compactMap { $0 } }
}

/// Everything a solve needs: the policy, the people and the side files,
/// validated.
public struct Program: Sendable {
    public var name: String
    public var cohort: String
    public var start: ProgramDate
    public var durationMonths: Int
    public var policy: Policy
    public var people: [Person]
    public var preferences: [Preference]
    public var exclusions: [Exclusion]
    public var history: [PastPair]
    /// The org chart: person id → manager id (roster `manager_id` over org.csv).
    public var managers: [String: String]
    public var files: ProgramFiles?
    /// External compatibility scores in [0, 1] (SPEC 9.6), by (mentor, mentee).
    public var scores = PairScores()

    public init(
        name: String = "Program", cohort: String = "", start: ProgramDate = ProgramDate("2027-01-15")!,
        durationMonths: Int = 6, policy: Policy = Policy(), people: [Person],
        preferences: [Preference] = [], exclusions: [Exclusion] = [], history: [PastPair] = [],
        managers: [String: String]? = nil, files: ProgramFiles? = nil
    ) {
        self.name = name
        self.cohort = cohort
        self.start = start
        self.durationMonths = durationMonths
        self.policy = policy
        self.people = people
        self.preferences = preferences
        self.exclusions = exclusions
        self.history = history
        self.managers =
            managers
            ?? Dictionary(
                people.compactMap { p in p.managerID.map { (p.id, $0) } }, uniquingKeysWith: { a, _ in a })
        self.files = files
    }
}
