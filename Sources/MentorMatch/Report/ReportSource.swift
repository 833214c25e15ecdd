import Foundation
import MatchModel
import MatchSolver
import MatchStore

/// Finds the proposal a report or export is about: a stored proposal (the
/// given id, else the newest with a cohort) re-read against today's roster,
/// or a fresh solve when the store has none.
public struct ReportSource: Sendable {
    public var programPath: String
    public var storePath: String?
    public var proposalID: Int64?
    /// Solve afresh instead of reading the store.
    public var fresh = false

    public init(programPath: String, storePath: String? = nil, proposalID: Int64? = nil, fresh: Bool = false) {
        self.programPath = programPath
        self.storePath = storePath
        self.proposalID = proposalID
        self.fresh = fresh
    }

    public struct Loaded: Sendable {
        public var proposal: Proposal
        public var program: Program
        public var proposalID: Int64?
        public var review: Review?
    }

    public func load() throws -> Loaded {
        let program = try ProgramLoader.load(path: programPath).program
        if fresh {
            return Loaded(proposal: try Propose().run(program: program).proposal, program: program, proposalID: nil, review: nil)
        }
        let review = Review(programPath: programPath, storePath: storePath)
        let store = try review.open()
        // The proposal asked for; else the cycle's finalised cohort; else the cycle's newest cohort.
        let found: StoredProposal?
        if let proposalID {
            found = try store.proposal(proposalID)
        } else if let done = try store.finalisation(of: program.cohort), let id = done.proposalID {
            found = try store.proposal(id)
        } else {
            found = try store.newestProposal(cycle: program.cohort, kind: nil, withCohort: true)
        }
        guard let stored = found else {
            if proposalID != nil { throw InputError(SourceLocation(file: review.storePath), "there is no proposal \(proposalID!)") }
            let r = try review.propose(Propose(), note: "made for a report")
            return Loaded(proposal: r.result.proposal, program: r.result.program, proposalID: r.applied.proposalID, review: review)
        }
        let instance = MatchInstance(program: program)
        let slot = Dictionary(uniqueKeysWithValues: instance.mentors.enumerated().map { (program.people[$1].id, $0) })
        var missing: [String] = []
        let pairs: [(mentor: Int, mentee: Int)] = stored.pairs.compactMap { p in
            guard let m = slot[p.mentorID], let e = instance.indexOfID[p.menteeID].flatMap({ instance.menteeSlot[$0] }) else {
                missing.append(p.key.description)
                return nil
            }
            return (m, e)
        }
        if !missing.isEmpty {
            throw InputError(
                SourceLocation(file: programPath),
                "proposal \(stored.id) names people no longer in the roster (\(missing.prefix(5).joined(separator: ", "))); propose again")
        }
        var outcome = SolveOutcome(
            status: ProposalStatus(rawValue: stored.status) ?? .feasible, pairs: pairs, eligiblePairs: 0,
            objective: CohortCheck.objective(instance, pairs: pairs.map { ($0.mentor, $0.mentee) }),
            stages: [], conflicts: [], proof: nil, finalModel: nil, seconds: stored.seconds)
        outcome.scanSeconds = nil
        let index = PairScanner(instance)
        var proposal = Proposal(
            instance: instance, outcome: outcome, engine: stored.engine, totalSeconds: stored.seconds,
            eligibleMentors: { index.eligibleMentors(of: $0) })
        // Locked flags and reasons as recorded.
        let storedPairs = Dictionary(stored.pairs.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for i in proposal.pairs.indices {
            let s = storedPairs[PairKey(mentorID: proposal.pairs[i].mentorID, menteeID: proposal.pairs[i].menteeID)]
            proposal.pairs[i].locked = s?.locked ?? false
            proposal.pairs[i].decision = s?.decision.flatMap(PairDecision.init(rawValue:))
        }
        let reasons = Dictionary(stored.unmatched.map { ($0.menteeID, $0.reasons) }, uniquingKeysWith: { a, _ in a })
        for i in proposal.unmatched.indices { if let r = reasons[proposal.unmatched[i].menteeID] { proposal.unmatched[i].reasons = r } }
        return Loaded(proposal: proposal, program: program, proposalID: stored.id, review: review)
    }
}

/// HRIS exports of a cohort: one row per pair with the columns an import expects.
public enum CohortExport {
    public enum Format: String, Sendable, CaseIterable {
        case csv, json
        /// CSV for spreadsheets: UTF-8 BOM, CRLF, every cell quoted, formulas neutralised.
        case xlsxCSV = "xlsx-csv"
    }

    public static let columns = ["mentor_id", "mentor_name", "mentee_id", "mentee_name", "cohort", "start", "end", "points"]
    /// A program with tiers adds the pair's tier as a last column.
    public static let tierColumn = "tier"

    public static func rows(_ loaded: ReportSource.Loaded, pseudonyms: Pseudonyms?) -> [[String]] {
        var pn = pseudonyms
        let names = Dictionary(loaded.program.people.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let start = loaded.program.start
        let end = start.adding(months: loaded.program.durationMonths)
        let tiers = !loaded.program.policy.tiers.isEmpty
        return loaded.proposal.pairs.map { p in
            let mentor = pn == nil ? p.mentorID : pn!.name(for: p.mentorID)
            let mentee = pn == nil ? p.menteeID : pn!.name(for: p.menteeID)
            return [
                mentor, pn == nil ? names[p.mentorID] ?? "" : mentor, mentee, pn == nil ? names[p.menteeID] ?? "" : mentee,
                loaded.program.cohort, start.description, end.description, String(p.points)
            ] + (tiers ? [p.tier ?? ""] : [])
        }
    }

    public static func render(_ rows: [[String]], as format: Format) -> String {
        let columns = Self.columns + (rows.contains { $0.count > Self.columns.count } ? [tierColumn] : [])
        switch format {
        case .csv:
            return ([columns] + rows).map { $0.map(ProposalRendering.safeCSVField).joined(separator: ",") }.joined(separator: "\n") + "\n"
        case .xlsxCSV:
            func cell(_ s: String) -> String {
                // A cell starting with = + - @ (or a tab/CR) would run as a formula in a spreadsheet.
                let guarded = s.first.map { "=+-@\t\r".contains($0) } == true ? "'" + s : s
                return "\"" + guarded.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return "\u{FEFF}" + ([columns] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        case .json:
            let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }
}
