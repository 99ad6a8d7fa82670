import { suiteVitestConfig } from '@gongxin/ui/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig(suiteVitestConfig());
