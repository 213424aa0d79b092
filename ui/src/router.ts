import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'

// Screens load on first visit, so start-up parses only the first screen's code.
const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/dashboard' },
  { path: '/dashboard', component: () => import('./views/DashboardView.vue'), meta: { title: '工作台' } },
  { path: '/campaigns', component: () => import('./views/CampaignsView.vue'), meta: { title: '评选年度' } },
  { path: '/scheme', component: () => import('./views/SchemeView.vue'), meta: { title: '评选方案' } },
  { path: '/imports', component: () => import('./views/ImportsView.vue'), meta: { title: '数据导入' } },
  { path: '/returns', component: () => import('./views/ReturnsView.vue'), meta: { title: '参评单位' } },
  { path: '/evaluations', component: () => import('./views/EvaluationsView.vue'), meta: { title: '测评数据' } },
  { path: '/results', component: () => import('./views/ResultsView.vue'), meta: { title: '评选结果' } },
  { path: '/publicity', component: () => import('./views/PublicityView.vue'), meta: { title: '公示异议' } },
  { path: '/reviews', component: () => import('./views/ReviewsView.vue'), meta: { title: '复查管理' } },
  { path: '/ledger', component: () => import('./views/LedgerView.vue'), meta: { title: '清单台账' } },
  { path: '/supervision', component: () => import('./views/SupervisionView.vue'), meta: { title: '监督问责' } },
  { path: '/agencies', component: () => import('./views/AgenciesView.vue'), meta: { title: '单位查询' } },
  {
    path: '/agencies/:id(\\d+)',
    component: () => import('./views/AgencyView.vue'),
    props: (route) => ({ id: Number(route.params.id) }),
    meta: { title: '单位历年情况' },
  },
  { path: '/notices', component: () => import('./views/NoticesView.vue'), meta: { title: '通知文书' } },
  { path: '/audit', component: () => import('./views/AuditView.vue'), meta: { title: '操作日志' } },
  { path: '/settings', component: () => import('./views/SettingsView.vue'), meta: { title: '设置' } },
  { path: '/:pathMatch(.*)*', redirect: '/dashboard' },
]

// Hash history: the app is served from tauri://localhost, where only index.html exists.
export const router = createRouter({ history: createWebHashHistory(), routes })
