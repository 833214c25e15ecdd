import Foundation
import MatchModel
import MatchSolver
import TestSupport
import Testing

@testable import MentorMatch

@Suite(.serialized) struct CompareExplainTests {
    /// One mentor with two places and three mentees: E1 is eligible, E2 shares
    /// no language, E3 is 9 h away. Without shared_language E2 joins; without
    /// the time-zone limit E3 joins; each rule costs exactly one mentee.
    func fixture() -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        dir.write("program.yaml", "name: Prices\nstart: 2027-01-15\nroster: roster.csv\nrules: {default_capacity: 2}\n")
        dir.write(
            "roster.csv",
            """
            id,role,level,department,timezone,languages,goals,expertise
            M,mentor,6,Eng,UTC,en;de,,swift:4
            E1,mentee,4,Ops,UTC,en,swift:2,
            E2,mentee,4,Ops,UTC,ja,swift:3,
            E3,mentee,4,Eng,UTC+09:00,en,swift:1,
            """)
        return dir
    }

    func points(_ program: Program, _ mentor: String, _ mentee: String) -> Int {
        let i = MatchInstance(program: program)
        return i.points(mentor: i.mentorSlot[i.indexOfID[mentor]!]!, mentee: i.menteeSlot[i.indexOfID[mentee]!]!)
    }

    @Test func eachRulePriceIsWhatTheHandComputationSays() throws {
        let dir = fixture()
        var compare = Compare()
        compare.priceRules = true
        let r = try compare.run(basePath: dir.file("program.yaml"), variants: [])
        let base = try #require(r.columns.first?.proposal)
        let program = try ProgramLoader.load(path: dir.file("program.yaml")).program
        #expect(base.objective.coverage == 1)
        #expect(base.objective.totalPoints == points(program, "M", "E1"))
        func price(_ prefix: String) -> Proposal? { r.prices.first { $0.name.hasPrefix(prefix) }?.proposal }
        let noLanguage = try #require(price("without shared_language"))
        #expect(noLanguage.objective.coverage == 2)
        #expect(noLanguage.objective.totalPoints == points(program, "M", "E1") + points(program, "M", "E2"))
        let noGap = try #require(price("without max_timezone_gap_hours"))
        #expect(noGap.objective.coverage == 2)
        #expect(noGap.objective.totalPoints == points(program, "M", "E1") + points(program, "M", "E3"))
        let chain = try #require(price("without exclude_management_chain"))
        #expect(chain.objective.coverage == 1 && chain.objective.totalPoints == base.objective.totalPoints)
    }

    @Test func everyVariantMatchesASeparatePropose() throws {
        let sample = CLI.sample
        let what = try WhatIfFile(path: CLI.sampleCopy() + "/whatif.yaml")
        let r = try Compare().run(basePath: what.basePath, variants: what.variants)
        #expect(r.columns.count == what.variants.count + 1)
        for (column, variant) in zip(r.columns.dropFirst(), what.variants) {
            let alone = try Propose().run(programPath: sample, overrides: variant.overrides).proposal
            let p = try #require(column.proposal, "\(column.name): \(column.error ?? "")")
            #expect(p.status == alone.status, "\(column.name)")
            #expect(p.objective == alone.objective, "\(column.name)")
            #expect(p.metrics.groupRates == alone.metrics.groupRates, "\(column.name)")
        }
        let table = CompareRendering.table(r, listChanges: true)
        for v in what.variants { #expect(table.contains(v.name)) }
        #expect(table.contains("pairs changed vs base"))
    }

    @Test func anInvalidVariantIsReportedAndTheOthersStillRun() throws {
        let dir = fixture()
        let bad = WhatIfFile.Variant(name: "typo", overrides: [try ProgramOverride(parsing: "rules.shared_languag=false")])
        let good = WhatIfFile.Variant(name: "ok", overrides: [try ProgramOverride(parsing: "rules.shared_language=false")])
        let r = try Compare().run(basePath: dir.file("program.yaml"), variants: [bad, good])
        #expect(r.columns[1].proposal == nil)
        #expect(r.columns[1].error?.contains("did you mean 'shared_language'") == true)
        #expect(r.columns[2].proposal?.objective.coverage == 2)
    }

    @Test func overridesAreCheckedLikeTheFile() throws {
        let dir = fixture()
        func errors(_ set: String) -> String {
            do {
                _ = try ProgramLoader.load(path: dir.file("program.yaml"), overrides: [try ProgramOverride(parsing: set)])
                return ""
            } catch { return "\(error)" }
        }
        #expect(errors("rules.max_timezone_gap_hours=soon").contains("must be a number"))
        #expect(errors("equity.locaton_reach=null").contains("did you mean 'location_reach'"))
        #expect(errors("rules.max_timezone_gap_hours=9") == "")
        #expect(errors("equity.location_reach={location: HQ, min_share_outside: 0.5}") == "")
        #expect(throws: InputError.self) { try ProgramOverride(parsing: "no-equals-sign") }
        let p = try ProgramLoader.load(
            path: dir.file("program.yaml"),
            overrides: [try ProgramOverride(parsing: "rules.capacity_by_level={6: 5}")]
        ).program
        #expect(p.policy.rules.capacityByLevel == [6: 5])
    }

    /// On random programs: an eligible alternative with more points than the
    /// chosen mentor and a free place must name the rule it would break.
    @Test func explanationsAreConsistentWithTheCohort() throws {
        var checked = 0
        for seed in 0..<80 as Range<UInt64> {
            let gen = RandomRoster(seed: seed)
            let program = gen.program()
            let proposal = try Propose().run(program: program).proposal
            guard proposal.status == .optimal else { continue }
            let instance = MatchInstance(program: program)
            let slot = Dictionary(uniqueKeysWithValues: instance.mentors.enumerated().map { (program.people[$1].id, $0) })
            let pairs = proposal.pairs.map { (slot[$0.mentorID]!, instance.menteeSlot[instance.indexOfID[$0.menteeID]!]!) }
            let index = PairScanner(instance)
            var load = Array(repeating: 0, count: instance.mentors.count)
            for (m, _) in pairs { load[m] += 1 }
            for es in instance.mentees.indices {
                let e = MenteeExplanation(
                    instance: instance, mentee: es, pairs: pairs, eligibleMentors: index.eligibleMentors(of: es),
                    unmatchedReasons: [], proven: true, alternatives: 20)
                let best = e.chosen.map(\.points).min()
                for a in e.alternatives {
                    let ms = slot[a.mentorID]!
                    #expect(!a.reason.contains("contradicts"), "seed \(seed): \(a.reason)")
                    if load[ms] < instance.capacity[ms], best.map({ a.points > $0 }) ?? true {
                        #expect(a.reason.contains("would break"), "seed \(seed): \(a.mentorID) \(a.points) \(a.reason)")
                    }
                    if a.reason.hasSuffix("points fewer") { #expect(best.map { a.points < $0 } == true) }
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }
}

/// Small random programs with equity rules, built directly.
/// The proposal JSON spliced from chunks encoded on every core is the single encoder's text.
@Suite struct ProposalJSONTests {
    @Test func chunkedEncodingIsTheSingleEncodersText() throws {
        var compared = 0
        for seed in 0..<30 as Range<UInt64> {
            let proposal = try Propose().run(program: RandomRoster(seed: seed).program()).proposal
            let whole = ProposalRendering.singleEncoderJSON(proposal)
            for chunk in [1, 2, 3] where chunk < max(proposal.pairs.count, proposal.unmatched.count) {
                let spliced = ProposalRendering.splicedJSON(proposal, chunk: chunk)
                #expect(spliced == whole, "seed \(seed), chunk \(chunk)")
                if chunk == 1 && proposal.pairs.count > 1 && !proposal.unmatched.isEmpty { compared += 1 }
            }
        }
        #expect(compared > 5)
        // The sample scenario: factors, locks, reasons, metrics.
        let sample = try Propose().run(programPath: CLI.sample).proposal
        #expect(ProposalRendering.splicedJSON(sample, chunk: 7) == ProposalRendering.singleEncoderJSON(sample))
        #expect(ProposalRendering.json(sample) == ProposalRendering.singleEncoderJSON(sample))
    }
}

@Suite struct ExitCodeTests {
    /// `propose` exits with 3 exactly when the proof says no cohort was found, never from the wording.
    @Test func theExitCodeReadsTheProof() throws {
        var p = try Propose().run(program: RandomRoster(seed: 1).program()).proposal
        #expect(ProposeExitCode(p) == .proposal)
        p.status = .timeLimit
        p.proof = Proof(ending: .stopped, cohortFound: false, coverageBound: 9)
        #expect(ProposeExitCode(p) == .timeLimitWithoutSolution)
        p.proof = Proof(ending: .stopped, cohortFound: true, coverageBound: 9)
        #expect(ProposeExitCode(p) == .proposal)
        p.status = .infeasible
        #expect(ProposeExitCode(p) == .infeasible)
    }
}
