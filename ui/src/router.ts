import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import CampaignsView from './views/CampaignsView.vue'
import ImportsView from './views/ImportsView.vue'
import ResultsView from './views/ResultsView.vue'
import ReturnsView from './views/ReturnsView.vue'

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/campaigns' },
  { path: '/campaigns', component: CampaignsView, meta: { title: '评选年度' } },
  { path: '/imports', component: ImportsView, meta: { title: '数据导入' } },
  { path: '/returns', component: ReturnsView, meta: { title: '参评单位' } },
  { path: '/results', component: ResultsView, meta: { title: '评选结果' } },
  { path: '/:pathMatch(.*)*', redirect: '/campaigns' },
]

// Hash history: the app is served from tauri://localhost, where only index.html exists.
export const router = createRouter({ history: createWebHashHistory(), routes })
