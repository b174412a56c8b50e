import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldProblem, FieldProblems } from '../lib/problems';

/** Words for a field's problem in the current language; undefined when the field is fine. */
export function useProblemText(
  problems: FieldProblems | null,
): (field: string) => string | undefined {
  const { t } = useTranslation('forms');
  return useCallback(
    (field: string) => {
      const p: FieldProblem | undefined = problems?.[field];
      if (!p) return undefined;
      if (p.code === 'custom') return t(`custom.${field}`, { defaultValue: p.message });
      if (p.code === 'format') return t(`format.${field}`, { defaultValue: t('problem.format') });
      return t(`problem.${p.code}`, { count: p.limit ?? 0 });
    },
    [problems, t],
  );
}
