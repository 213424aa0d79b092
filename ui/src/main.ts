import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router'
import { initVocabulary } from './stores/vocabulary'
import './styles.css'

// The labels come from the core: load them before the first screen renders.
void initVocabulary().then(() => createApp(App).use(ElementPlus).use(router).mount('#app'))
