// An agency's name as a link to its page (单位历年情况), for every table that names an
// agency. A real link (`<a href>`), so Tab reaches it and Enter opens it; its click does not
// reach the row (a row click opens the row's own drawer or dialog on some screens).
import { defineComponent, h, type PropType } from 'vue'
import { router } from '../../router'
import { agencyPath } from '../../lib/agency'

export default defineComponent({
  name: 'AgencyLink',
  props: {
    id: { type: Number as PropType<number | null>, default: null },
    name: { type: String, required: true },
    strong: { type: Boolean, default: false },
  },
  setup(props) {
    return () => {
      if (props.id === null) return h('span', { class: props.strong ? 'strong' : undefined }, props.name)
      const path = agencyPath(props.id)
      return h(
        'a',
        {
          href: `#${path}`,
          class: ['agency-link', props.strong ? 'strong' : ''],
          title: `${props.name}：查看历年情况`,
          'data-testid': 'agency-link',
          onClick: (e: MouseEvent) => {
            e.preventDefault()
            e.stopPropagation()
            void router.push(path)
          },
        },
        props.name,
      )
    }
  },
})
