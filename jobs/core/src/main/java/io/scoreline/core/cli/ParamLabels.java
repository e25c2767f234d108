package io.scoreline.core.cli;

import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.IParamLabelRenderer;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help shows a value's kind, never a Java field name: an option without its own paramLabel reads {@code N} for a
 * number, else the last word of its name ({@code --id-field=FIELD}, {@code --features=FEATURE[,FEATURE...]}).
 */
final class ParamLabels implements IHelpFactory {
    @Override
    public Help create(CommandSpec commandSpec, ColorScheme colorScheme) {
        return new Help(commandSpec, colorScheme) {
            @Override
            public IParamLabelRenderer parameterLabelRenderer() {
                return new Renderer(super.parameterLabelRenderer());
            }
        };
    }

    private record Renderer(IParamLabelRenderer defaults) implements IParamLabelRenderer {
        @Override
        public Text renderParameterLabel(ArgSpec arg, Ansi ansi, List<IStyle> styles) {
            Text text = defaults.renderParameterLabel(arg, ansi, styles);
            if (!(arg instanceof OptionSpec option) || !isFieldName(option)) return text;
            return ansi.text(text.plainString().replace(option.paramLabel(), label(option)));
        }

        @Override
        public String separator() {
            return defaults.separator();
        }
    }

    /** picocli's default label is the annotated field's name in angle brackets. */
    private static boolean isFieldName(OptionSpec option) {
        Object field = option.userObject();
        return field instanceof java.lang.reflect.Field f && option.paramLabel().equals("<" + f.getName() + ">");
    }

    static String label(OptionSpec option) {
        Class<?> type = option.auxiliaryTypes().length > 0 ? option.auxiliaryTypes()[0] : option.type();
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class
            || type == double.class || type == Double.class) {
            return "N";
        }
        String name = option.longestName().replaceFirst("^-+", "");
        String last = name.substring(name.lastIndexOf('-') + 1).toUpperCase(Locale.ROOT);
        return option.isMultiValue() && last.endsWith("S") ? last.substring(0, last.length() - 1) : last;
    }
}
