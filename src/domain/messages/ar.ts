import type { Catalogue } from './catalogue.ts';

// Modern Standard Arabic. Links and codes stay left-to-right inside the right-to-left text.
export const AR: Catalogue = {
  levels: {
    1: 'اتخذ الاحتياطات المعتادة',
    2: 'توخَّ مزيدًا من الحذر',
    3: 'أعد النظر في السفر',
    4: 'لا تسافر',
  },
  indicators: {
    C: 'الجريمة',
    T: 'الإرهاب',
    U: 'الاضطرابات المدنية',
    H: 'الصحة',
    N: 'الكوارث الطبيعية',
    E: 'حدث محدود المدة',
    K: 'الاختطاف أو احتجاز الرهائن',
    D: 'الاحتجاز التعسفي',
    O: 'أخرى',
  },
  stateWords: {
    normal: 'استأنفت عملها المعتاد',
    authorized_departure: 'في حالة المغادرة المأذون بها: يجوز للموظفين غير الأساسيين وأفراد أسرهم المغادرة',
    ordered_departure: 'في حالة المغادرة الإلزامية: يجب على الموظفين غير الأساسيين وأفراد أسرهم المغادرة',
    suspended: 'علّقت عملها',
  },
  stateTitles: {
    normal: 'تستأنف عملها المعتاد',
    authorized_departure: 'في حالة المغادرة المأذون بها',
    ordered_departure: 'في حالة المغادرة الإلزامية',
    suspended: 'تعلّق عملها',
  },
  otherState: (state) => `حالتها الآن: ${state.replace(/_/g, ' ')}`,
  yesterday: 'أمس',
  list: (items) => items.join('، '),

  verifyPhone: (code) =>
    `Warden: رمز التحقق الخاص بك هو ${code}. تنتهي صلاحيته خلال 15 دقيقة. إذا لم تقم بالتسجيل، فتجاهل هذه الرسالة.`,
  verifyEmail: (link) => ({
    subject: 'أكّد بريدك الإلكتروني لتلقي تنبيهات السلامة أثناء السفر',
    text: [
      'قام شخص ما (نأمل أن يكون أنت) بتسجيل هذا العنوان لتلقي تنبيهات السلامة أثناء الوجود في الخارج.',
      '',
      `أكّده من هنا: ${link}`,
      '',
      'إذا لم يكن هذا أنت، فتجاهل هذه الرسالة: لن يُرسل أي شيء إلى هذا العنوان.',
    ].join('\n'),
  }),
  alreadyEnrolled: (link) => ({
    subject: 'أنت مسجّل بالفعل لتلقي تنبيهات السلامة أثناء السفر',
    text: [
      'تلقّينا طلب تسجيل جديدًا لهذا العنوان، لكنه مسجّل بالفعل.',
      '',
      `لعرض رحلاتك وبيانات الاتصال أو تغييرها، استخدم هذا الرابط: ${link}`,
      '',
      'إذا لم يكن هذا أنت، فتجاهل هذه الرسالة: لم يتغيّر شيء.',
    ].join('\n'),
  }),
  manageLink: (link) => ({
    subject: 'رابط إدارة تسجيل سفرك',
    text: [
      `استخدم هذا الرابط لعرض تسجيلك أو تغييره: ${link}`,
      '',
      'يعمل الرابط مرة واحدة وتنتهي صلاحيته قريبًا. إذا لم تطلبه، فتجاهل هذه الرسالة.',
    ].join('\n'),
  }),
  confirmPresence: (link) => ({
    subject: 'هل ما زلت هناك؟ أكّد إقامتك في الخارج',
    text: [
      'لقد سجّلت إقامة في الخارج دون تاريخ انتهاء. لكي نتمكن من الوصول إليك إذا حدث أمر ما، يرجى تأكيد أنك ما زلت هناك:',
      '',
      link,
      '',
      'إذا كنت قد غادرت، فلا تؤكّد: اطلب رابطًا لإدارة تسجيلك، ثم أنهِ الرحلة أو احذفها.',
    ].join('\n'),
  }),

  subscriptionVerify: (link, countries) => ({
    subject: 'أكّد اشتراكك في تحذيرات السفر',
    text: [
      `طلب شخص ما (نأمل أن يكون أنت) تلقي تحديثات تحذيرات السفر الخاصة بـ ${countries ?? 'بعض البلدان'} على هذا العنوان.`,
      '',
      `أكّده من هنا: ${link}`,
      '',
      'إذا لم يكن هذا أنت، فتجاهل هذه الرسالة: لن يُرسل أي شيء آخر إلى هذا العنوان.',
    ].join('\n'),
  }),
  subscriptionExists: (link) => ({
    subject: 'أنت مشترك بالفعل في تحذيرات السفر',
    text: [
      'تلقّينا طلب اشتراك جديدًا لهذا العنوان، لكنه مشترك بالفعل.',
      '',
      `لتغيير البلدان أو عدد مرات تلقي رسائلنا: ${link}`,
      '',
      'إذا لم يكن هذا أنت، فتجاهل هذه الرسالة: لم يتغيّر شيء.',
    ].join('\n'),
  }),
  subscriptionWelcome: (link, countries) => ({
    subject: 'تم اشتراكك في تحذيرات السفر',
    text: [
      `ستتلقى تحديثات تحذيرات السفر الخاصة بـ ${countries ?? 'بلدانك'}.`,
      '',
      `لتغيير البلدان أو عدد مرات تلقي رسائلنا، أو لإلغاء الاشتراك: ${link}`,
    ].join('\n'),
  }),
  subscriptionManageLink: (link) => ({
    subject: 'رابط إدارة اشتراكك في تحذيرات السفر',
    text: [
      `استخدم هذا الرابط لتغيير اشتراكك أو إلغائه: ${link}`,
      '',
      'إذا لم تطلبه، فتجاهل هذه الرسالة.',
    ].join('\n'),
  }),

  advisoryTitle: (country, level, label, change) =>
    `تحذير السفر إلى ${country}: المستوى ${level}، ${label}${change === 'raised' ? ' (رُفع)' : change === 'lowered' ? ' (خُفّض)' : ''}`,
  postureTitle: (country, post, title) => `${country}: ${post} ${title}`,
  advisoryUpdated: (country, edition) =>
    `تم تحديث تحذير السفر إلى ${country}${edition ? ` (الإصدار ${edition})` : ''}.`,
  levelLine: (level, label) => `المستوى ${level}: ${label}.`,
  previousLevelLine: (level, label) => `كان المستوى ${level}: ${label}.`,
  risksLine: (risks) => `المخاطر: ${risks}.`,
  whatChanged: (note) => `ما الذي تغيّر: ${note}`,
  postureLine: (post, country, words) => `${post} (${country}) ${words}.`,
  subscriberFooter: (link) => [
    '',
    '--',
    `لتغيير البلدان أو عدد مرات تلقي رسائلنا، أو لإلغاء الاشتراك: ${link}`,
  ],
  travellerFooter: (link) => [
    '',
    '--',
    'تصلك هذه الرسالة لأنك سجّلت رحلة إلى هذا البلد.',
    `لتغيير رحلاتك أو إيقاف الرسائل: ${link}`,
  ],
  digestSubject: (day, count) => `تحديثات تحذيرات السفر ليوم ${day} (${count})`,
  digestIntro: (day) => `تحديثات تحذيرات السفر المنشورة يوم ${day} (بالتوقيت العالمي المنسق).`,
  smsTail: (link) => ` الرحلات وإيقاف الرسائل: ${link}`,
  alert: {
    kinds: {
      security: 'تنبيه أمني',
      demonstration: 'تنبيه بشأن مظاهرات',
      health: 'تنبيه صحي',
      weather: 'تنبيه بشأن الطقس',
      message_for_citizens: 'رسالة إلى المواطنين',
      emergency: 'تنبيه طارئ',
    },
    separator: ': ',
    drillPrefix: { Exercise: 'تمرين', Test: 'اختبار' },
    drillBanner: {
      Exercise: 'تمرين: هذه رسالة تمرين وليست تنبيهًا حقيقيًا. لا يلزم اتخاذ أي إجراء.',
      Test: 'اختبار: هذه رسالة اختبار وليست تنبيهًا حقيقيًا. لا يلزم اتخاذ أي إجراء.',
    },
    msgTypeMarker: { Update: 'تحديث', Cancel: 'إلغاء' },
    sections: {
      location: 'الموقع',
      event: 'الحدث',
      actionsToTake: 'الإجراءات الواجب اتخاذها',
      assistance: 'المساعدة',
    },
    fallbackNote: 'هذا التنبيه غير متوفر بلغتك، وهو مكتوب أدناه باللغة الإنجليزية.',
    fallbackShort: '(بالإنجليزية)',
    validity: (from, until) => `ساري المفعول من ${from} حتى ${until}.`,
    checkIn: (link, deadline) => `هل أنت بخير؟ أخبرنا قبل ${deadline}: ${link}`,
    checkInSafe: (link) => `أنا بخير: ${link}`,
    checkInHelp: (link) => `أحتاج إلى مساعدة: ${link}`,
    checkInShort: (link, code) =>
      code ? `هل أنت بخير؟ أرسل SAFE ${code} أو HELP ${code}` : `هل أنت بخير؟ ${link}`,
    fullAlert: (link) => `التنبيه كاملًا: ${link}`,
    footer: (link) => [
      '',
      '--',
      'تصلك هذه الرسالة لأنك سجّلت رحلة في هذه المنطقة. إلغاء الاشتراك في تحذيرات السفر لا يوقف التنبيهات.',
      `لتغيير رحلاتك أو إيقاف جميع الرسائل: ${link}`,
    ],
    cancelEvent: (sentAt) => `أُلغي التنبيه المرسل في ${sentAt}. يرجى تجاهله.`,
    cancelActions: 'لا يلزم اتخاذ أي إجراء.',
  },
};
