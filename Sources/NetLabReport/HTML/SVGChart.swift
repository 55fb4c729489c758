import Foundation
import NetLabCore

/// Charts as inline SVG: every series is an element with class `series`, labelled in a legend,
/// coloured from the Okabe–Ito palette (distinguishable with the common colour-vision
/// deficiencies) and also told apart by dash pattern or marker, so a chart reads in grey print.
enum SVGChart {
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"]
    static let dashes = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"]

    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
        /// Marked values along the curve, e.g. p50, p99, p99.9: (label, x).
        var marks: [(String, Double)] = []
    }

    /// A cumulative distribution: x on a log axis (`unit` per decade labels), y from 0 to 1.
    static func cdf(title: String, xLabel: String, series: [Series], width: Double = 860, height: Double = 300)
        -> String
    {
        let plotted = series.filter { !$0.points.isEmpty }
        let xs = plotted.flatMap { $0.points.map(\.x) }.filter { $0 > 0 }
        guard let low = xs.min(), let high = xs.max() else {
            return "<p class=\"meta\">\(HTMLPage.escape(title)): no samples</p>"
        }
        let left = 70.0, right = 230.0, top = 24.0, bottom = 46.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let minimumDecade = floor(log10(low)), maximumDecade = max(ceil(log10(high)), minimumDecade + 1)
        func x(_ value: Double) -> Double {
            left + (log10(max(value, 1e-300)) - minimumDecade) / (maximumDecade - minimumDecade) * plotWidth
        }
        func y(_ value: Double) -> Double { top + (1 - value) * plotHeight }
        var svg =
            "<svg class=\"chart cdf\" role=\"img\" viewBox=\"0 0 \(Int(saturating: width)) \(Int(saturating: height))\" width=\"\(Int(saturating: width))\" height=\"\(Int(saturating: height))\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        svg +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#999\"/>"
        var decade = minimumDecade
        while decade <= maximumDecade {
            let position = x(pow(10, decade))
            svg +=
                "<line x1=\"\(f(position))\" y1=\"\(top)\" x2=\"\(f(position))\" y2=\"\(top + plotHeight)\" stroke=\"#e3e3e3\"/>"
            svg +=
                "<text x=\"\(f(position))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(HTMLPage.escape(durationLabel(pow(10, decade))))</text>"
            decade += 1
        }
        for fraction in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg +=
                "<line x1=\"\(left)\" y1=\"\(f(y(fraction)))\" x2=\"\(left + plotWidth)\" y2=\"\(f(y(fraction)))\" stroke=\"#eee\"/>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(f(y(fraction) + 4))\" text-anchor=\"end\">\(String(format: "%.2g", fraction))</text>"
        }
        svg +=
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(height - 6)\" text-anchor=\"middle\">\(HTMLPage.escape(xLabel))</text>"
        svg +=
            "<text transform=\"translate(14 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">fraction of messages ≤ x</text>"
        for (index, item) in plotted.enumerated() {
            let colour = palette[index % palette.count], dash = dashes[index % dashes.count]
            var path = ""
            for (step, point) in item.points.enumerated() {
                let px = f(x(point.x))
                path += step == 0 ? "M\(px) \(f(y(0)))V\(f(y(point.y)))" : "H\(px)V\(f(y(point.y)))"
            }
            svg +=
                "<path class=\"series\" d=\"\(path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")><title>\(HTMLPage.escape(item.name))</title></path>"
            for (label, value) in item.marks where value > 0 {
                let fraction = item.points.last { $0.x <= value }?.y ?? 0
                svg +=
                    "<circle cx=\"\(f(x(value)))\" cy=\"\(f(y(fraction)))\" r=\"3.5\" fill=\"\(colour)\"><title>\(HTMLPage.escape("\(item.name) \(label): \(durationLabel(value))"))</title></circle>"
            }
            let legendY = top + 8 + Double(index) * 18
            svg +=
                "<line x1=\"\(left + plotWidth + 12)\" y1=\"\(legendY)\" x2=\"\(left + plotWidth + 36)\" y2=\"\(legendY)\" stroke=\"\(colour)\" stroke-width=\"2\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            svg +=
                "<text x=\"\(left + plotWidth + 40)\" y=\"\(legendY + 4)\">\(HTMLPage.escape(truncated(item.name)))</text>"
        }
        return svg + "</svg>"
    }

    /// Grouped horizontal bars: one group per category, one bar per series.
    static func bars(
        title: String, unit: String, categories: [String], series: [(name: String, values: [Double])],
        format: (Double) -> String, width: Double = 860
    ) -> String {
        let barHeight = 14.0, gap = 10.0, left = 200.0, right = 230.0, top = 24.0
        let groupHeight = Double(series.count) * barHeight + gap
        let height = top + Double(categories.count) * groupHeight + 36
        let maximum = max(series.flatMap(\.values).max() ?? 0, 1e-12)
        let plotWidth = width - left - right
        var svg =
            "<svg class=\"chart bars\" role=\"img\" viewBox=\"0 0 \(Int(saturating: width)) \(Int(saturating: height))\" width=\"\(Int(saturating: width))\" height=\"\(Int(saturating: height))\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        for (index, category) in categories.enumerated() {
            let groupTop = top + Double(index) * groupHeight
            svg +=
                "<text x=\"\(left - 8)\" y=\"\(f(groupTop + groupHeight / 2 - gap / 2 + 4))\" text-anchor=\"end\">\(HTMLPage.escape(truncated(category, 28)))</text>"
        }
        for (seriesIndex, item) in series.enumerated() {
            let colour = palette[seriesIndex % palette.count]
            svg += "<g class=\"series\"><title>\(HTMLPage.escape(item.name))</title>"
            for (index, value) in item.values.enumerated() {
                let barTop = top + Double(index) * groupHeight + Double(seriesIndex) * barHeight
                let length = max(0, value / maximum * plotWidth)
                let pattern = seriesIndex % 2 == 1 ? " stroke=\"#1a1a1a\" stroke-width=\"0.6\"" : ""
                svg +=
                    "<rect x=\"\(left)\" y=\"\(f(barTop))\" width=\"\(f(length))\" height=\"\(barHeight - 2)\" fill=\"\(colour)\"\(pattern)><title>\(HTMLPage.escape("\(item.name): \(format(value))"))</title></rect>"
                svg +=
                    "<text x=\"\(f(left + length + 4))\" y=\"\(f(barTop + barHeight - 4))\">\(HTMLPage.escape(format(value)))</text>"
            }
            svg += "</g>"
            svg += legendEntry(item.name, colour: colour, x: width - right + 60, y: top + 8 + Double(seriesIndex) * 18)
        }
        return svg + axisLabel(unit, x: left + plotWidth / 2, y: height - 8) + "</svg>"
    }

    /// Stacked horizontal bars: one bar per category, one segment per part (in order, each part
    /// its colour, named in the legend and in each segment's tooltip).
    static func stackedBars(
        title: String, unit: String, categories: [String], parts: [(name: String, values: [Double])],
        format: (Double) -> String, width: Double = 860
    ) -> String {
        let colours = palette + ["#999999", "#882255", "#44AA99", "#DDCC77", "#332288", "#AA4499"]
        let barHeight = 16.0, gap = 6.0, left = 240.0, right = 260.0, top = 24.0
        let legendHeight = Double(parts.count) * 18 + 16
        let height = max(top + Double(categories.count) * (barHeight + gap) + 36, top + legendHeight)
        let totals = categories.indices.map { index in parts.reduce(0.0) { $0 + max(0, $1.values[index]) } }
        let maximum = max(totals.max() ?? 0, 1e-12)
        let plotWidth = width - left - right
        var svg =
            "<svg class=\"chart bars stacked\" role=\"img\" viewBox=\"0 0 \(Int(saturating: width)) \(Int(saturating: height))\" width=\"\(Int(saturating: width))\" height=\"\(Int(saturating: height))\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        for (index, category) in categories.enumerated() {
            let barTop = top + Double(index) * (barHeight + gap)
            svg +=
                "<text x=\"\(left - 8)\" y=\"\(f(barTop + barHeight - 4))\" text-anchor=\"end\">\(HTMLPage.escape(truncated(category, 28)))</text>"
            var x = left
            for (partIndex, part) in parts.enumerated() where part.values[index] > 0 {
                let length = part.values[index] / maximum * plotWidth
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(barTop))\" width=\"\(f(length))\" height=\"\(barHeight)\" fill=\"\(colours[partIndex % colours.count])\"><title>\(HTMLPage.escape("\(category): \(part.name) \(format(part.values[index]))"))</title></rect>"
                x += length
            }
            svg +=
                "<text x=\"\(f(x + 4))\" y=\"\(f(barTop + barHeight - 4))\">\(HTMLPage.escape(format(totals[index])))</text>"
        }
        for (partIndex, part) in parts.enumerated() {
            svg += legendEntry(
                part.name, colour: colours[partIndex % colours.count], x: width - right + 90,
                y: top + 8 + Double(partIndex) * 18)
        }
        return svg + axisLabel(unit, x: left + plotWidth / 2, y: height - 8) + "</svg>"
    }

    /// A legend's swatch of `colour` and `name` beside it, centred on `y`.
    static func legendEntry(_ name: String, colour: String, x: Double, y: Double) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y - 6))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            + "<text x=\"\(f(x + 16))\" y=\"\(f(y + 4))\">\(HTMLPage.escape(truncated(name)))</text>"
    }

    /// The axis's label, centred at (`x`, `y`).
    static func axisLabel(_ text: String, x: Double, y: Double) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"middle\">\(HTMLPage.escape(text))</text>"
    }

    /// Points on log–log axes with the line y = x: `series` of (x measured, y predicted).
    static func scatter(
        title: String, xLabel: String, yLabel: String, series: [(name: String, points: [(x: Double, y: Double)])],
        label: (Double) -> String, width: Double = 760, height: Double = 420
    ) -> String {
        let values = series.flatMap { $0.points.flatMap { [$0.x, $0.y] } }.filter { $0 > 0 && $0.isFinite }
        guard let low = values.min(), let high = values.max() else { return "" }
        let left = 80.0, right = 170.0, top = 24.0, bottom = 46.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let minimumDecade = floor(log10(low)), maximumDecade = max(ceil(log10(high)), minimumDecade + 1)
        func scaled(_ value: Double) -> Double {
            (log10(max(value, 1e-300)) - minimumDecade) / (maximumDecade - minimumDecade)
        }
        func x(_ value: Double) -> Double { left + scaled(value) * plotWidth }
        func y(_ value: Double) -> Double { top + (1 - scaled(value)) * plotHeight }
        var svg =
            "<svg class=\"chart scatter\" role=\"img\" viewBox=\"0 0 \(Int(saturating: width)) \(Int(saturating: height))\" width=\"\(Int(saturating: width))\" height=\"\(Int(saturating: height))\" aria-label=\"\(HTMLPage.escape(title))\">"
        svg += "<title>\(HTMLPage.escape(title))</title>"
        svg +=
            "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotWidth)\" height=\"\(plotHeight)\" fill=\"none\" stroke=\"#999\"/>"
        var decade = minimumDecade
        while decade <= maximumDecade {
            let value = pow(10, decade)
            svg +=
                "<text x=\"\(f(x(value)))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(HTMLPage.escape(label(value)))</text>"
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\">\(HTMLPage.escape(label(value)))</text>"
            decade += 1
        }
        svg +=
            "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top)\" stroke=\"#888\" stroke-dasharray=\"4 3\"><title>predicted = measured</title></line>"
        svg +=
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(height - 6)\" text-anchor=\"middle\">\(HTMLPage.escape(xLabel))</text>"
        svg +=
            "<text transform=\"translate(14 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTMLPage.escape(yLabel))</text>"
        for (index, item) in series.enumerated() {
            let colour = palette[index % palette.count]
            svg += "<g class=\"series\"><title>\(HTMLPage.escape(item.name))</title>"
            for point in item.points where point.x > 0 && point.y > 0 {
                svg +=
                    index % 2 == 0
                    ? "<circle cx=\"\(f(x(point.x)))\" cy=\"\(f(y(point.y)))\" r=\"4\" fill=\"\(colour)\"/>"
                    : "<rect x=\"\(f(x(point.x) - 4))\" y=\"\(f(y(point.y) - 4))\" width=\"8\" height=\"8\" fill=\"\(colour)\"/>"
            }
            svg += "</g>"
            let legendY = top + 8 + Double(index) * 18
            svg +=
                "<rect x=\"\(left + plotWidth + 12)\" y=\"\(legendY - 6)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(left + plotWidth + 30)\" y=\"\(legendY + 4)\">\(HTMLPage.escape(item.name))</text>"
        }
        return svg + "</svg>"
    }

    /// A nanosecond value as 100ns, 10us, 1ms, 1s (the unit style of every output).
    static func durationLabel(_ nanoseconds: Double) -> String {
        if nanoseconds >= 1e9 { return "\(trim(nanoseconds / 1e9))s" }
        if nanoseconds >= 1e6 { return "\(trim(nanoseconds / 1e6))ms" }
        if nanoseconds >= 1e3 { return "\(trim(nanoseconds / 1e3))us" }
        return "\(trim(nanoseconds))ns"
    }

    static func trim(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
        return value >= 10 || value == value.rounded()
            ? String(Int(saturating: value.rounded())) : String(format: "%.1f", value)
    }

    static func truncated(_ text: String, _ limit: Int = 30) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
