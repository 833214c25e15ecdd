import Foundation

/// Small, dependency-free SVG charts for reports: labelled axes, values on
/// the bars, grey-scale-safe fills (shade plus hatching for the second
/// series), and a `<title>`/`<desc>` pair as alt text.
public enum SVGChart {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// Text shown on the bar (defaults to the value).
        public var text: String?
        public init(label: String, value: Double, text: String? = nil) {
            self.label = label
            self.value = value
            self.text = text
        }
    }

    /// Text as XML/HTML text or attribute value (the report and the review room escape alike).
    public static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func fmt(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%.2f", x)
    }

    /// Vertical bars (a histogram when the labels are bins).
    /// - Parameter reference: a dashed horizontal line (e.g. the overall rate), with its label.
    public static func bars(
        id: String, title: String, description: String, bars: [Bar], xLabel: String, yLabel: String,
        maxValue: Double? = nil, reference: (value: Double, label: String)? = nil,
        width: Int = 640, height: Int = 260
    ) -> String {
        let left = 56.0, right = 16.0, top = 28.0, bottom = 58.0
        let w = Double(width) - left - right, h = Double(height) - top - bottom
        var top1 = max(maxValue ?? (bars.map(\.value).max() ?? 1), reference?.value ?? 0, 1e-9)
        // Whole-number data gets whole-number ticks.
        if maxValue == nil, bars.allSatisfy({ $0.value == $0.value.rounded() }) { top1 = max(4, (top1 / 4).rounded(.up) * 4) }
        let n = max(bars.count, 1)
        let slot = w / Double(n)
        let barW = max(2, slot * 0.7)
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(esc(id))\" class=\"chart\" role=\"img\" aria-labelledby=\"\(esc(id))-title \(esc(id))-desc\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">"
        s += "<title id=\"\(esc(id))-title\">\(esc(title))</title><desc id=\"\(esc(id))-desc\">\(esc(description))</desc>"
        // Axes and grid.
        for i in 0...4 {
            let v = top1 * Double(i) / 4
            let y = top + h - h * Double(i) / 4
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(left + w))\" y2=\"\(fmt(y))\" class=\"grid\"/>"
            s += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y + 4))\" class=\"tick\" text-anchor=\"end\">\(esc(fmt(v)))</text>"
        }
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top + h))\" x2=\"\(fmt(left + w))\" y2=\"\(fmt(top + h))\" class=\"axis\"/>"
        for (i, b) in bars.enumerated() {
            let bh = top1 > 0 ? h * b.value / top1 : 0
            let x = left + slot * Double(i) + (slot - barW) / 2
            let y = top + h - bh
            s += "<g class=\"bar\" data-label=\"\(esc(b.label))\" data-value=\"\(esc(fmt(b.value)))\">"
            s +=
                "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(barW))\" height=\"\(fmt(bh))\"><title>\(esc(b.label)): \(esc(b.text ?? fmt(b.value)))</title></rect>"
            if n <= 24 {
                s +=
                    "<text x=\"\(fmt(x + barW / 2))\" y=\"\(fmt(y - 4))\" class=\"value\" text-anchor=\"middle\">\(esc(b.text ?? fmt(b.value)))</text>"
            }
            let labelEvery = max(1, n / 12)
            if i % labelEvery == 0 {
                s += "<text x=\"\(fmt(x + barW / 2))\" y=\"\(fmt(top + h + 16))\" class=\"tick\" text-anchor=\"middle\">\(esc(b.label))</text>"
            }
            s += "</g>"
        }
        if let r = reference {
            let y = top + h - h * r.value / top1
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y))\" x2=\"\(fmt(left + w))\" y2=\"\(fmt(y))\" class=\"reference\"/>"
            s += "<text x=\"\(fmt(left + w))\" y=\"\(fmt(y - 5))\" class=\"reference-label\" text-anchor=\"end\">\(esc(r.label))</text>"
        }
        s += "<text x=\"\(fmt(left + w / 2))\" y=\"\(fmt(Double(height) - 8))\" class=\"axis-label\" text-anchor=\"middle\">\(esc(xLabel))</text>"
        s +=
            "<text x=\"14\" y=\"\(fmt(top + h / 2))\" class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 14 \(fmt(top + h / 2)))\">\(esc(yLabel))</text>"
        s += "</svg>"
        return s
    }

    /// Horizontal bars, one per row, for labelled shares (factor mix, rates).
    public static func horizontal(
        id: String, title: String, description: String, bars: [Bar], maxValue: Double,
        reference: (value: Double, label: String)? = nil, width: Int = 640
    ) -> String {
        let rowH = 26.0, left = 190.0, right = 150.0, top = 24.0
        let height = Int(top + rowH * Double(max(bars.count, 1)) + 30)
        let w = Double(width) - left - right
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(esc(id))\" class=\"chart\" role=\"img\" aria-labelledby=\"\(esc(id))-title \(esc(id))-desc\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\">"
        s += "<title id=\"\(esc(id))-title\">\(esc(title))</title><desc id=\"\(esc(id))-desc\">\(esc(description))</desc>"
        for (i, b) in bars.enumerated() {
            let y = top + rowH * Double(i)
            let bw = maxValue > 0 ? w * min(b.value, maxValue) / maxValue : 0
            s += "<g class=\"bar\" data-label=\"\(esc(b.label))\" data-value=\"\(esc(fmt(b.value)))\">"
            s += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(y + rowH * 0.62))\" class=\"tick\" text-anchor=\"end\">\(esc(b.label))</text>"
            s +=
                "<rect x=\"\(fmt(left))\" y=\"\(fmt(y + 4))\" width=\"\(fmt(bw))\" height=\"\(fmt(rowH - 8))\"><title>\(esc(b.label)): \(esc(b.text ?? fmt(b.value)))</title></rect>"
            // Values in their own column, clear of the bars and any reference line.
            s += "<text x=\"\(fmt(left + w + 10))\" y=\"\(fmt(y + rowH * 0.62))\" class=\"value\">\(esc(b.text ?? fmt(b.value)))</text>"
            s += "</g>"
        }
        if let r = reference {
            let x = left + w * r.value / maxValue
            s += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(top - 4))\" x2=\"\(fmt(x))\" y2=\"\(fmt(top + rowH * Double(bars.count)))\" class=\"reference\"/>"
            s += "<text x=\"\(fmt(x))\" y=\"\(fmt(top - 8))\" class=\"reference-label\" text-anchor=\"middle\">\(esc(r.label))</text>"
        }
        s += "</svg>"
        return s
    }
}
