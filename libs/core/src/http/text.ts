import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';

export interface TextRules {
  /** Longest accepted, in characters, after trimming. */
  maxLength: number;
  /** Tab and newline are allowed (several lines of text); other control characters never are. */
  multiline?: boolean;
  /** An empty (or all-blank) value is accepted. Default: refused. */
  allowBlank?: boolean;
  /** What the whole value must match, after trimming. */
  pattern?: RegExp;
  /** Said when `pattern` does not match. */
  patternMessage?: string;
}

export interface TextOptions extends TextRules {
  /** The field may be left out. */
  optional?: boolean;
  example?: string;
  description?: string;
}

// C0 controls (NUL among them), DEL and C1 controls; the multi-line form lets tab and newline through.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string holds a character no text field accepts anywhere: NUL or a lone surrogate. */
export function hasUnstorableCharacter(value: string): boolean {
  return value.includes('\u0000') || LONE_SURROGATE.test(value);
}

/**
 * Why `value` is not acceptable text under `rules`, or null when it is. One definition of text for
 * every string that enters an event: body fields, query fields and header values alike.
 */
export function textProblem(value: unknown, rules: TextRules): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (LONE_SURROGATE.test(value)) return 'must not hold a lone surrogate (malformed UTF-16)';
  if ((rules.multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(value)) {
    return rules.multiline ? 'must not hold control characters other than tab and newline' : 'must not hold control characters';
  }
  if (!rules.allowBlank && value.trim() === '') return 'must not be blank';
  if ([...value].length > rules.maxLength) return `must be at most ${rules.maxLength} characters`;
  if (rules.pattern && !rules.pattern.test(value)) return rules.patternMessage ?? `must match ${rules.pattern.source}`;
  return null;
}

/**
 * A text field of a request DTO: trimmed, then refused with VALIDATION_FAILED when it holds NUL,
 * a control character (tab and newline only where `multiline`), a lone surrogate, nothing but
 * blanks (unless `allowBlank`), more than `maxLength` characters, or does not match `pattern`.
 * The same rules are declared in the OpenAPI document, from this one decorator.
 */
export function Text(options: TextOptions): PropertyDecorator {
  const { optional, example, description, ...rules } = options;
  const api = {
    type: String,
    maxLength: rules.maxLength,
    ...(rules.allowBlank ? {} : { minLength: 1 }),
    ...(rules.pattern ? { pattern: rules.pattern.source } : {}),
    ...(example !== undefined ? { example } : {}),
    ...(description !== undefined ? { description } : {}),
  };
  return applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    ...(optional ? [IsOptional(), ApiPropertyOptional(api)] : [ApiProperty(api)]),
    IsText(rules),
  );
}

export function IsText(rules: TextRules, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isText',
      constraints: [rules],
      validator: {
        validate: (value) => textProblem(value, rules) === null,
        defaultMessage: (args) => `${args?.property ?? 'value'} ${textProblem(args?.value, rules) ?? 'is not acceptable text'}`,
      },
    },
    options,
  );
}
