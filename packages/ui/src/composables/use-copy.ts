// Copying a text to the clipboard from a button: whether the last copy worked, and the button's label
// saying so (复制 → 已复制 / 复制失败) for a moment before it reads "copy" again. The clipboard may be
// refused (no permission, an insecure page): that is shown as failed, never thrown.
import { computed, onScopeDispose, ref } from 'vue';
import { useI18n } from 'vue-i18n';

export type CopyState = 'idle' | 'done' | 'failed';

/** How long "copied" or "failed" is shown before the button reads "copy" again. */
export const COPY_RESET_MS = 1500;

export function useCopy() {
  const { t } = useI18n();
  const state = ref<CopyState>('idle');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const label = computed(() =>
    state.value === 'done'
      ? t('display.copied')
      : state.value === 'failed'
        ? t('display.copyFailed')
        : t('display.copy'),
  );

  async function copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      state.value = 'done';
    } catch {
      state.value = 'failed';
    }
    // A second copy within the moment shows its own outcome for the full moment.
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.value = 'idle';
    }, COPY_RESET_MS);
  }

  onScopeDispose(() => clearTimeout(timer));
  return { state, label, copy };
}
