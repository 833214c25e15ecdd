import Foundation
import Testing
@testable import MentorMatch

/// CSV meant for people must not run as formulas when opened in a spreadsheet.
@Suite struct SafeOutputTests {
    @Test(arguments: [
        ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\""),
        ("-2+3", "\"'-2+3\""),
        ("@SUM(A1)", "\"'@SUM(A1)\""),
        ("\tx", "\"'\tx\""),
        ("P00012", "P00012"),
        ("-12", "-12"),
        ("3.5", "3.5"),
        ("a,b", "\"a,b\""),
    ])
    func formulaCellsAreNeutralised(_ input: String, _ expected: String) {
        #expect(ProposalRendering.safeCSVField(input) == expected)
    }

    @Test func exportCSVNeutralisesEveryCell() {
        let text = CohortExport.render([["=1+1", "M1", "-7"]], as: .csv)
        #expect(text.contains("\"'=1+1\",M1,-7"), "\(text)")
    }
}
