/// Numbers as people read them: thousands grouped ("24,310"), the same on every
/// machine (outputs are compared and diffed; a locale would change them).
public enum Numbers {
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }
}
